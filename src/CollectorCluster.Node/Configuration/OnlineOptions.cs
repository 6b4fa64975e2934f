using Config = Akka.Configuration.Config;
using static CollectorCluster.Node.Configuration.StrictSection;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// The node's online condition (<c>collector.online</c>): how it starts, and an optional TCP probe that sets it
/// (online while a connection to <c>probe.host:probe.port</c> succeeds). Operators can always override with
/// <c>collectorctl node online|offline</c>; the probe's next result sets it again.
/// </summary>
/// <param name="InitiallyOnline">The condition at start.</param>
/// <param name="ProbeHost">Host to connect to; null = no probe.</param>
/// <param name="ProbePort">Port to connect to.</param>
/// <param name="ProbeInterval">Time between probes (each probe's connect is bounded by it too, at most 10 s).</param>
public sealed record OnlineOptions(bool InitiallyOnline, string? ProbeHost, int ProbePort, TimeSpan ProbeInterval)
{
    private static readonly string[] Keys = ["initial", "probe"];
    private static readonly string[] ProbeKeys = ["host", "port", "interval"];

    /// <summary>True when a probe is configured.</summary>
    public bool HasProbe => ProbeHost is not null;

    /// <summary>Reads and validates the section; throws <see cref="ConfigurationException"/> naming the key.</summary>
    public static OnlineOptions FromConfig(Config config)
    {
        Unknown(config, "collector.online", Keys);
        Unknown(config, "collector.online.probe", ProbeKeys);
        var initial = config.GetString("collector.online.initial", "online").Trim().ToLowerInvariant();
        if (initial is not ("online" or "offline"))
        {
            throw new ConfigurationException($"collector.online.initial: '{initial}' is not online or offline");
        }

        var host = config.GetString("collector.online.probe.host", "").Trim();
        var port = config.GetInt("collector.online.probe.port", 0);
        var interval = config.GetTimeSpan("collector.online.probe.interval", TimeSpan.FromMinutes(1));
        if (host.Length > 0 && port is < 1 or > 65535)
        {
            throw new ConfigurationException($"collector.online.probe.port: {port} is not a TCP port (the probe connects to probe.host:probe.port)");
        }

        if (host.Length == 0 && port != 0)
        {
            throw new ConfigurationException("collector.online.probe.host: is required when probe.port is set");
        }

        if (interval < TimeSpan.FromSeconds(1))
        {
            throw new ConfigurationException($"collector.online.probe.interval: {interval} is shorter than 1 second");
        }

        return new OnlineOptions(initial == "online", host.Length == 0 ? null : host, port, interval);
    }
}
