using CollectorCluster.Core.Events;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Actors.Collection;

/// <summary>
/// Where a running session records progress. Each call completes only once the events are in the journal:
/// that is what lets the session DELE safely afterwards. A multidrop destination journals its routing decisions
/// through it too (<see cref="IRoutingJournal"/>).
/// </summary>
public interface ICollectionRecorder : IRoutingJournal
{
    /// <summary>Persists a batch of collected messages.</summary>
    Task RecordCollectedAsync(IReadOnlyList<MessageCollected> batch);

    /// <summary>Persists deletions QUIT committed.</summary>
    Task RecordDeletedAsync(MessagesDeletedOnServer deleted);

    /// <summary>Persists a Mirror Mailbox event (local deletion observed, absence noted, local copies removed).</summary>
    Task RecordMirrorAsync(IAccountEvent mirrored);

    /// <summary>Persists the session's report of messages over the size limit.</summary>
    Task RecordOversizeAsync(OversizeMessagesReported reported);

    /// <summary>Persists UIDLs the server no longer lists.</summary>
    Task RecordVanishedAsync(MessagesVanished vanished);

    /// <summary>Records that the server renamed collected messages (UIDL migration), before the plan uses the new names.</summary>
    Task RecordRekeyedAsync(UidlsRekeyed rekeyed);
}
