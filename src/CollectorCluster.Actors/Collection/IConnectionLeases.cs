namespace CollectorCluster.Actors.Collection;

/// <summary>
/// Where a session waits for permission to connect: the node's connection tokens (caps per node, per server and on
/// half-open connects). An interface so sessions do not depend on how the tokens are kept.
/// </summary>
public interface IConnectionLeases
{
    /// <summary>
    /// Waits for a lease. Cancelling withdraws the request (it is never granted afterwards, or if the grant raced the
    /// cancel, it is given straight back).
    /// </summary>
    Task<IConnectionLease> AcquireAsync(string accountId, string server, int priority, CancellationToken cancellationToken);
}
