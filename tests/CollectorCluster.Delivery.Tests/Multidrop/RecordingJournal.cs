using CollectorCluster.Core.Events;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Delivery.Tests.Multidrop;

/// <summary>The account's journal as far as routing decisions go: what was recorded, in order.</summary>
internal sealed class RecordingJournal : IRoutingJournal
{
    public List<MessageRouted> Routed { get; } = [];

    public Task RecordRoutedAsync(MessageRouted routed)
    {
        Routed.Add(routed);
        return Task.CompletedTask;
    }
}
