using CollectorCluster.Core.Events;

namespace CollectorCluster.Core.Routing;

/// <summary>Where a multidrop delivery journals its routing decision: the account's journal, before the message is recorded as collected.</summary>
public interface IRoutingJournal
{
    /// <summary>Persists the decision; completes once it is in the journal.</summary>
    Task RecordRoutedAsync(MessageRouted routed);
}
