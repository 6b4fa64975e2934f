using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// The connection tokens as OpenTelemetry-style instruments on the <c>CollectorCluster</c> meter (any
/// <see cref="MeterListener"/> or OpenTelemetry exporter can read them; none is required). Every instrument carries a
/// <c>server</c> tag. The gauges read the last figures each per-server actor published, so no actor is asked from
/// the exporter's thread.
/// </summary>
public sealed class TokenMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CollectorCluster";

    private readonly ConcurrentDictionary<string, (int Queued, int Held)> _servers = new(StringComparer.Ordinal);
    private readonly Histogram<double> _wait;
    private readonly Counter<long> _granted;
    private readonly Counter<long> _reclaimed;

    /// <summary>Creates the meter and its instruments.</summary>
    public TokenMetrics()
    {
        Meter = new Meter(MeterName);
        _wait = Meter.CreateHistogram<double>("collector.tokens.wait", "ms", "How long a session waited for its connection lease");
        _granted = Meter.CreateCounter<long>("collector.tokens.granted", "{lease}", "Connection leases granted");
        _reclaimed = Meter.CreateCounter<long>("collector.tokens.reclaimed", "{lease}", "Leases taken back from a dead or hung holder");
        Meter.CreateObservableGauge("collector.tokens.queued", () => Observe(s => s.Queued), "{session}", "Sessions waiting for a lease");
        Meter.CreateObservableGauge("collector.tokens.held", () => Observe(s => s.Held), "{lease}", "Leases held");
    }

    /// <summary>The meter (tests listen to this instance).</summary>
    public Meter Meter { get; }

    /// <summary>A lease was granted after <paramref name="waited"/>.</summary>
    public void Granted(string server, TimeSpan waited)
    {
        var tag = new KeyValuePair<string, object?>("server", server);
        _granted.Add(1, tag);
        _wait.Record(waited.TotalMilliseconds, tag);
    }

    /// <summary>A lease was reclaimed.</summary>
    public void Reclaimed(string server) => _reclaimed.Add(1, new KeyValuePair<string, object?>("server", server));

    /// <summary>Publishes a server's current queue length and leases held (zeroes are kept, so a gauge drops back to 0).</summary>
    public void Publish(string server, int queued, int held) => _servers[server] = (queued, held);

    /// <inheritdoc />
    public void Dispose() => Meter.Dispose();

    private IEnumerable<Measurement<int>> Observe(Func<(int Queued, int Held), int> pick) =>
        _servers.Select(p => new Measurement<int>(pick(p.Value), new TagList { { "server", p.Key } })).ToList();
}
