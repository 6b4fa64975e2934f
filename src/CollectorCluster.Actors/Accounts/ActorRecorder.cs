using Akka.Actor;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Accounts;

/// <summary>A session's view of its account's journal: each call returns once the actor has persisted.</summary>
internal sealed class ActorRecorder(IActorRef account) : ICollectionRecorder
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public Task RecordAsync(IReadOnlyList<IAccountEvent> events) =>
        events.Count == 0 ? Task.CompletedTask : account.Ask<Recorded>(new RecordEvents(events), Timeout);
}
