using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// The schedule's start-up instrument on the <c>CollectorCluster</c> meter (any <see cref="MeterListener"/> or exporter
/// reads it): how many accounts have been given their first slot since the node started (a start of many accounts is
/// done when it reaches their number). How late scheduled sessions start is <see cref="CollectionObserved.ScheduleLag"/>,
/// which the node's metrics record as <c>collector.schedule.lag</c>.
/// </summary>
public static class ScheduleMetrics
{
    /// <summary>The meter's name (shared with the connection tokens' and the node's collection instruments).</summary>
    public const string MeterName = "CollectorCluster";

    /// <summary>The first-slot counter's name.</summary>
    public const string ScheduledInstrument = "collector.accounts.scheduled";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Scheduled = Meter.CreateCounter<long>(ScheduledInstrument, "{account}", "Accounts given their first scheduled slot since the node started");

    // Accounts counted already: a sleeping account's actor starts again at every wake (collector.sleep), and is not a new one.
    private static readonly ConcurrentDictionary<string, byte> Counted = new(StringComparer.Ordinal);

    /// <summary>An account got a slot on this node: counted the first time only.</summary>
    public static void FirstScheduled(string accountId)
    {
        if (Counted.TryAdd(accountId, 0))
        {
            Scheduled.Add(1);
        }
    }
}
