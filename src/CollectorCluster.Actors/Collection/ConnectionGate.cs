namespace CollectorCluster.Actors.Collection;

/// <summary>
/// Caps live POP3 sessions on this node (<c>collector.max-pop3-clients</c>, Mailtraq's MaxPop3Clients).
/// Waiters are served first come, first served.
/// </summary>
public sealed class ConnectionGate : IDisposable
{
    private readonly SemaphoreSlim _slots;

    /// <summary>Creates a gate with the given cap.</summary>
    public ConnectionGate(int maxSessions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSessions, 1);
        Capacity = maxSessions;
        _slots = new SemaphoreSlim(maxSessions, maxSessions);
    }

    /// <summary>The cap.</summary>
    public int Capacity { get; }

    /// <summary>Sessions holding a slot now.</summary>
    public int InUse => Capacity - _slots.CurrentCount;

    /// <summary>Waits for a slot; dispose the result to return it (always, even on failure).</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(_slots);
    }

    /// <inheritdoc />
    public void Dispose() => _slots.Dispose();

    private sealed class Lease(SemaphoreSlim slots) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                slots.Release();
            }
        }
    }
}
