using System.Globalization;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// Measures how much memory the process takes while a test's session runs: resets the kernel's resident-set
/// high-water mark (<c>/proc/self/clear_refs</c>) at the start, reads it at the end, and samples the resident set and
/// the managed heap every few milliseconds in between (the samples stand in where the mark cannot be reset).
/// Meant for tests that run alone (<see cref="HostileServerCollection"/>), since it sees the whole process.
/// </summary>
public sealed class MemoryWatch
{
    private readonly CancellationTokenSource stop = new();
    private readonly long baselineRss;
    private readonly long baselineHeap;
    private readonly bool markReset;
    private readonly Task sampler;
    private long peakRss;
    private long peakHeap;

    private MemoryWatch()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        baselineHeap = GC.GetTotalMemory(forceFullCollection: false);
        markReset = ResetHighWaterMark();
        baselineRss = Status("VmRSS:");
        peakRss = baselineRss;
        peakHeap = baselineHeap;
        sampler = Task.Run(SampleAsync);
    }

    /// <summary>Starts watching (after a full garbage collection, so the baseline holds only what is live).</summary>
    public static MemoryWatch Start() => new();

    /// <summary>Stops and returns the peaks.</summary>
    public async Task<MemoryPeak> StopAsync()
    {
        await stop.CancelAsync();
        await sampler;
        var mark = markReset ? Status("VmHWM:") : 0;
        return new MemoryPeak(baselineRss, Math.Max(Volatile.Read(ref peakRss), mark), baselineHeap, Volatile.Read(ref peakHeap));
    }

    private async Task SampleAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            Raise(ref peakRss, Status("VmRSS:"));
            Raise(ref peakHeap, GC.GetTotalMemory(forceFullCollection: false));
            try
            {
                await Task.Delay(5, stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static void Raise(ref long peak, long value)
    {
        long seen;
        while (value > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, value, seen) != seen)
        {
        }
    }

    /// <summary>Writing 5 to clear_refs resets VmHWM to the current resident set (Linux 4.0 and later).</summary>
    private static bool ResetHighWaterMark()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A "Vm...:  1234 kB" line of /proc/self/status, in bytes.</summary>
    private static long Status(string key)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var kb = line[key.Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return 0;
    }
}
