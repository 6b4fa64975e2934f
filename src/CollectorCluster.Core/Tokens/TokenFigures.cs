namespace CollectorCluster.Core.Tokens;

/// <summary>
/// A point-in-time view of a token pool, for operators and tests: how much is waiting, what is held, and how long
/// recent requests waited (over a bounded window, so the figures reflect now rather than all time).
/// </summary>
public sealed record TokenFigures(
    int Queued,
    int Held,
    int Connecting,
    IReadOnlyDictionary<string, int> HeldPerServer,
    long GrantedTotal,
    long ReclaimedTotal,
    TimeSpan WaitP50,
    TimeSpan WaitP99,
    TimeSpan WaitMax)
{
    /// <summary>Per remote server (filled in by the node's tokens actor; empty from a bare <see cref="TokenPool"/>).</summary>
    public IReadOnlyList<ServerTokenFigures> Servers { get; init; } = [];
}
