using CollectorCluster.Core.Events;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Actors.Collection;

/// <summary>
/// Where a running session records progress. A call completes only once the events are in the journal: that is what
/// lets the session DELE safely afterwards. A multidrop destination journals its routing decisions through it too.
/// </summary>
public interface ICollectionRecorder : IRoutingJournal
{
    /// <summary>Persists <paramref name="events"/> in order, all or none.</summary>
    /// <exception cref="JournalFailedException">The journal could not record them (the account then stops).</exception>
    Task RecordAsync(IReadOnlyList<IAccountEvent> events);

    /// <inheritdoc />
    Task IRoutingJournal.RecordRoutedAsync(MessageRouted routed) => RecordAsync([routed]);
}
