namespace CollectorCluster.IntegrationTests;

/// <summary>A count of connections open at once and its peak, shareable by several <see cref="CountingProxy"/> (the node-wide figure across servers).</summary>
internal sealed class OpenConnections
{
    private int open;
    private int max;

    /// <summary>Open now.</summary>
    public int Open => Volatile.Read(ref open);

    /// <summary>The most open at one time.</summary>
    public int Max => Volatile.Read(ref max);

    public void Enter()
    {
        var now = Interlocked.Increment(ref open);
        int seen;
        while (now > (seen = Volatile.Read(ref max)) && Interlocked.CompareExchange(ref max, now, seen) != seen)
        {
        }
    }

    public void Leave() => Interlocked.Decrement(ref open);
}
