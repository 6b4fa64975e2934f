using Akka.Actor;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// A session's view of its account's journal: each call returns once the actor has persisted. A failed write comes
/// back as <see cref="JournalFailedException"/>; once the account is gone (<paramref name="abort"/>) a call fails at
/// once instead of waiting for an answer nobody will send.
/// </summary>
internal sealed class ActorRecorder(IActorRef account, CancellationToken abort) : ICollectionRecorder
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public Task RecordAsync(IReadOnlyList<IAccountEvent> events) =>
        events.Count == 0 ? Task.CompletedTask : account.Ask<Recorded>(new RecordEvents(events), Timeout, abort);
}
