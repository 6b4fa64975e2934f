using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text.Json;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Node.Commands;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Observability;

namespace CollectorCluster.Bench;

/// <summary>
/// <c>cc-bench scale-node --config FILE --report FILE</c>: the child of <see cref="Scale10k"/>. Runs the daemon
/// (<see cref="RunCommand"/>, exactly as <c>collector run</c>) in this process, listening to its schedule instruments:
/// every first slot given (<c>collector.accounts.scheduled</c>) and every scheduled session's lag
/// (<c>collector.schedule.lag</c>, the node's metrics instrument the <c>/metrics</c> endpoint exports). Prints <c>scheduled N +MS</c> on stdout as the count grows,
/// and <c>heap BYTES +MS</c> every 5 s (the managed heap after the latest full collection); on SIGTERM the daemon
/// stops and the samples are written to the report file (JSON).
/// </summary>
public static class ScaleNode
{
    public static async Task<int> RunAsync(string config, string report)
    {
        var started = Stopwatch.StartNew();
        var scheduled = 0L;
        var lastPrinted = 0L;
        var lags = new ConcurrentQueue<(long AtMs, double Seconds)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ScheduleMetrics.MeterName && instrument.Name is CollectorMetrics.LagInstrument or ScheduleMetrics.ScheduledInstrument)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => lags.Enqueue((started.ElapsedMilliseconds, value)));
        listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
        {
            var now = Interlocked.Add(ref scheduled, value);
            var printed = Interlocked.Read(ref lastPrinted);
            if (now - printed >= 500 && Interlocked.CompareExchange(ref lastPrinted, now, printed) == printed)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scheduled {now} +{started.ElapsedMilliseconds}"));
            }
        });
        listener.Start();
        using var ticker = new Timer(_ => Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"scheduled {Interlocked.Read(ref scheduled)} +{started.ElapsedMilliseconds}")), null, 1000, 1000);

        // The managed heap the latest full collection left (live objects then, without the collector's free space): what the
        // accounts themselves hold, which RSS blurs with the GC's headroom. Read, never forced; nothing before the first.
        using var heap = new Timer(_ =>
        {
            var info = GC.GetGCMemoryInfo(GCKind.FullBlocking);
            if (info.Index > 0)
            {
                Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"heap {info.HeapSizeBytes - info.FragmentedBytes} +{started.ElapsedMilliseconds}"));
            }
        }, null, 5000, 5000);

        var options = CollectorConfigLoader.Load(config);
        var exit = await RunCommand.RunAsync(options, CancellationToken.None).ConfigureAwait(false);
        var samples = lags.ToArray();
        await File.WriteAllTextAsync(report, JsonSerializer.Serialize(new
        {
            scheduled = Interlocked.Read(ref scheduled),
            lagAtMs = samples.Select(s => s.AtMs).ToArray(),
            lagSeconds = samples.Select(s => s.Seconds).ToArray(),
        })).ConfigureAwait(false);
        return exit;
    }
}
