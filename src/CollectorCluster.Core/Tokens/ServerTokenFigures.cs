namespace CollectorCluster.Core.Tokens;

/// <summary>One remote server's connection-token figures; <see cref="RecentWaits"/> is a bounded window of grant waits, so node-wide percentiles can be merged from the servers'.</summary>
public sealed record ServerTokenFigures(
    string Server,
    int Queued,
    int Held,
    int Connecting,
    long GrantedTotal,
    long ReclaimedTotal,
    IReadOnlyList<TimeSpan> RecentWaits)
{
    /// <summary>Median of <see cref="RecentWaits"/>.</summary>
    public TimeSpan WaitP50 => WaitStatistics.Percentile(RecentWaits, 0.50);

    /// <summary>99th percentile of <see cref="RecentWaits"/>.</summary>
    public TimeSpan WaitP99 => WaitStatistics.Percentile(RecentWaits, 0.99);

    /// <summary>Longest of <see cref="RecentWaits"/>.</summary>
    public TimeSpan WaitMax => RecentWaits.Count == 0 ? TimeSpan.Zero : RecentWaits.Max();
}
