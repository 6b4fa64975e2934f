using Akka.Actor;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Accounts;

/// <summary>A session's view of its account's journal: each call returns once the actor has persisted.</summary>
internal sealed class ActorRecorder(IActorRef account) : ICollectionRecorder
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public Task RecordCollectedAsync(IReadOnlyList<MessageCollected> batch) =>
        batch.Count == 0 ? Task.CompletedTask : RecordAsync([.. batch]);

    public Task RecordDeletedAsync(MessagesDeletedOnServer deleted) => RecordAsync([deleted]);

    public Task RecordMirrorAsync(IAccountEvent mirrored) => RecordAsync([mirrored]);

    public Task RecordOversizeAsync(OversizeMessagesReported reported) => RecordAsync([reported]);

    public Task RecordVanishedAsync(MessagesVanished vanished) => RecordAsync([vanished]);

    public Task RecordRekeyedAsync(UidlsRekeyed rekeyed) => RecordAsync([rekeyed]);

    public Task RecordRoutedAsync(MessageRouted routed) => RecordAsync([routed]);

    private Task RecordAsync(IReadOnlyList<IAccountEvent> events) => account.Ask<Recorded>(new RecordEvents(events), Timeout);
}
