namespace CollectorCluster.Actors.Collection;

/// <summary>
/// A granted connection slot. <see cref="MarkConnected"/> right after the connect returns frees the half-open slot;
/// <see cref="Progress"/> while the session makes progress keeps the lease; disposing (always, in every path) gives the
/// whole slot back. All are idempotent and cheap.
/// </summary>
public interface IConnectionLease : IDisposable
{
    /// <summary>Cancelled when the lease is revoked (no progress for lease-timeout): the session must abort, then dispose the lease.</summary>
    CancellationToken Lost => CancellationToken.None;

    /// <summary>The connect finished (successfully or not, the attempt is over).</summary>
    void MarkConnected();

    /// <summary>The session made progress (a message delivered, a listing read): the lease is kept for another lease-timeout.</summary>
    void Progress()
    {
    }
}
