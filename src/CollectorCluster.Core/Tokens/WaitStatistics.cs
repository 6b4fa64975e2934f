namespace CollectorCluster.Core.Tokens;

/// <summary>Nearest-rank percentiles of waits (no interpolation: every reported wait is one that happened).</summary>
public static class WaitStatistics
{
    /// <summary>The <paramref name="p"/>-th percentile (0–1) of <paramref name="waits"/>; zero when empty.</summary>
    public static TimeSpan Percentile(IEnumerable<TimeSpan> waits, double p)
    {
        var sorted = waits.Order().ToArray();
        return sorted.Length == 0 ? TimeSpan.Zero : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
    }
}
