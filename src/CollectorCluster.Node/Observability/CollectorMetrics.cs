using System.Diagnostics.Metrics;
using CollectorCluster.Actors.Accounts;

namespace CollectorCluster.Node.Observability;

/// <summary>
/// The node's collection instruments on the <c>CollectorCluster</c> meter (the same meter the connection tokens
/// report on, see <c>TokenMetrics</c>), exported by OpenTelemetry at <c>/metrics</c>: sessions by outcome and
/// failure cause, messages and bytes collected, session duration, schedule lag, journal write latency, and the
/// accounts this node hosts by status. Tags are bounded: the server's host name, outcome, cause, stage and status
/// (never an account id, which would make one series per account).
/// </summary>
public sealed class CollectorMetrics : IDisposable
{
    /// <summary>The meter's name (OpenTelemetry <c>AddMeter</c>).</summary>
    public const string MeterName = "CollectorCluster";

    /// <summary>
    /// The schedule lag histogram's name, seconds: from a scheduled session's slot to its login (a wait for a connection
    /// lease included; to its start when it never logged in). The scale-10k bench reads it too.
    /// </summary>
    public const string LagInstrument = "collector.schedule.lag";

    /// <summary>The session wall time histogram's name, seconds (the peers bench's daemon scenario reads it).</summary>
    public const string DurationInstrument = "collector.session.duration";

    /// <summary>
    /// The session CPU histogram's name, seconds: the process's user + system time from a session's start to its end,
    /// recorded only for a session no other session overlapped (then the delta is the session's; see SessionCpuMeter).
    /// </summary>
    public const string CpuInstrument = "collector.session.cpu";

    // Sessions of a daemon take milliseconds: the low buckets resolve an incremental check (the 20 ms goal of issue 14).
    private static readonly double[] SessionBuckets = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private static readonly double[] SecondsBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800];

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _collections;
    private readonly Counter<long> _messages;
    private readonly Counter<long> _bytes;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _cpu;
    private readonly Histogram<double> _lag;
    private readonly Histogram<double> _journal;
    private volatile IReadOnlyDictionary<string, int> _accounts = new Dictionary<string, int>();

    /// <summary>Creates the instruments.</summary>
    public CollectorMetrics()
    {
        _collections = _meter.CreateCounter<long>("collector.collections", "{session}", "Collection sessions ended, by outcome (ok, failed, deferred, interrupted), failure cause and stage, and server");
        _messages = _meter.CreateCounter<long>("collector.collected.messages", "{message}", "Messages delivered and recorded, by server");
        _bytes = _meter.CreateCounter<long>("collector.collected.bytes", "By", "Bytes of messages delivered and recorded, by server");
        _duration = _meter.CreateHistogram(DurationInstrument, "s", "Wall time of a collection session, by outcome", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SessionBuckets });
        _cpu = _meter.CreateHistogram(CpuInstrument, "s", "Process CPU (user + system) of a collection session that ran alone on the node (overlapping sessions are not recorded), by outcome", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SessionBuckets });
        _lag = _meter.CreateHistogram(LagInstrument, "s", "How late a scheduled session logged in after its slot (waiting for a connection lease included)", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _journal = _meter.CreateHistogram("collector.journal.write.latency", "s", "From a session's persist request to the journal's confirmation, per batch", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = SecondsBuckets });
        _meter.CreateObservableGauge("collector.accounts", Accounts, "{account}", "Accounts hosted on this node, by status (ok, failed, never, disabled, paused, collecting, needs-operator)");
    }

    /// <summary>Records one session.</summary>
    public void Record(CollectionObserved session)
    {
        ArgumentNullException.ThrowIfNull(session);
        var server = new KeyValuePair<string, object?>("server", session.Server);
        _collections.Add(1, server, new("outcome", session.Outcome), new("cause", session.Cause), new("stage", session.Stage));
        if (session.Collected > 0)
        {
            _messages.Add(session.Collected, server);
            _bytes.Add(session.Bytes, server);
        }

        var outcome = new KeyValuePair<string, object?>("outcome", session.Outcome);
        _duration.Record(session.Duration.TotalSeconds, outcome);
        if (session.Cpu is { } cpu)
        {
            _cpu.Record(cpu.TotalSeconds, outcome);
        }
        if (session.ScheduleLag is { } lag)
        {
            _lag.Record(Math.Max(0, lag.TotalSeconds));
        }
    }

    /// <summary>Records one journal write.</summary>
    public void Record(JournalWriteObserved write)
    {
        ArgumentNullException.ThrowIfNull(write);
        _journal.Record(write.Latency.TotalSeconds);
    }

    /// <summary>Sets the accounts this node hosts, counted by status (sampled by <see cref="AccountCountSampler"/>).</summary>
    public void SetAccounts(IReadOnlyDictionary<string, int> byStatus) => _accounts = byStatus;

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<int>> Accounts() =>
        _accounts.Select(kv => new Measurement<int>(kv.Value, new KeyValuePair<string, object?>("status", kv.Key)));
}
