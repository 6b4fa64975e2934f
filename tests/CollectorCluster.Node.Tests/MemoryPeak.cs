using System.Globalization;

namespace CollectorCluster.Node.Tests;

/// <summary>What a <see cref="MemoryWatch"/> saw: the process's resident set and managed heap, before and at their peak.</summary>
/// <param name="BaselineRss">Resident set size when the watch started.</param>
/// <param name="PeakRss">Highest resident set size while it ran (the kernel's high-water mark where it can be reset, else sampled).</param>
/// <param name="BaselineHeap">Managed heap size when the watch started (after a full collection).</param>
/// <param name="PeakHeap">Highest managed heap size sampled while it ran.</param>
public sealed record MemoryPeak(long BaselineRss, long PeakRss, long BaselineHeap, long PeakHeap)
{
    /// <summary>How far the resident set grew above where it started.</summary>
    public long RssGrowth => Math.Max(0, PeakRss - BaselineRss);

    /// <summary>How far the managed heap grew above where it started.</summary>
    public long HeapGrowth => Math.Max(0, PeakHeap - BaselineHeap);

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"peak RSS {Mb(PeakRss)} (+{Mb(RssGrowth)} over {Mb(BaselineRss)}), peak managed heap +{Mb(HeapGrowth)}");

    private static string Mb(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1048576.0:0.0} MB");
}
