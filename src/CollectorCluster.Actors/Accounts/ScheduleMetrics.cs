using System.Diagnostics.Metrics;

namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// The schedule as OpenTelemetry-style instruments on the <c>CollectorCluster</c> meter (any <see cref="MeterListener"/>
/// or exporter reads them): how late scheduled sessions log in against their due time, and how many accounts have been
/// given their first slot since the node started (a start of many accounts is done when it reaches their number).
/// </summary>
public static class ScheduleMetrics
{
    /// <summary>The meter's name (shared with the connection tokens' instruments).</summary>
    public const string MeterName = "CollectorCluster";

    /// <summary>The lag histogram's name, seconds.</summary>
    public const string LagInstrument = "collector.schedule.lag";

    /// <summary>The first-slot counter's name.</summary>
    public const string ScheduledInstrument = "collector.accounts.scheduled";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> Lag = Meter.CreateHistogram<double>(LagInstrument, "s", "How late a scheduled session logged in (or failed to) after its due time");
    private static readonly Counter<long> Scheduled = Meter.CreateCounter<long>(ScheduledInstrument, "{account}", "Accounts given their first scheduled slot since the node started");

    /// <summary>A scheduled session started (logged in) <paramref name="lag"/> after it was due.</summary>
    public static void SessionStarted(TimeSpan lag) => Lag.Record(Math.Max(0, lag.TotalSeconds));

    /// <summary>An account got its first slot on this node.</summary>
    public static void FirstScheduled() => Scheduled.Add(1);
}
