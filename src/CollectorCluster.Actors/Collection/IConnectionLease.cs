namespace CollectorCluster.Actors.Collection;

/// <summary>
/// A granted connection slot. <see cref="MarkConnected"/> right after the connect returns frees the half-open slot;
/// disposing (always, in every path) gives the whole slot back. Both are idempotent.
/// </summary>
public interface IConnectionLease : IDisposable
{
    /// <summary>The connect finished (successfully or not, the attempt is over).</summary>
    void MarkConnected();
}
