using CollectorCluster.Actors.Collection;

namespace CollectorCluster.ClusterTests.Fencing;

/// <summary>Connection leases that are always granted: the fence test is about the journal, not the token caps.</summary>
internal sealed class FreeLeases : IConnectionLeases, IConnectionLease
{
    public Task<IConnectionLease> AcquireAsync(string accountId, string server, int priority, CancellationToken cancellationToken) =>
        Task.FromResult<IConnectionLease>(this);

    public void MarkConnected()
    {
    }

    public void Dispose()
    {
    }
}
