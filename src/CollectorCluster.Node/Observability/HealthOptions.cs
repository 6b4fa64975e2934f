using CollectorCluster.Node.Configuration;
using Config = Akka.Configuration.Config;

namespace CollectorCluster.Node.Observability;

/// <summary>
/// The health listener (<c>collector.health</c>): <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> on a port of
/// their own, for Kubernetes probes and Prometheus whether or not the web console runs (the console's port serves
/// them too). Read-only and without secrets, so plain HTTP on any address; <c>/metrics</c> can require a bearer token.
/// </summary>
/// <param name="Hostname">The address to bind.</param>
/// <param name="Port">The TCP port; 0: no health listener of its own.</param>
public sealed record HealthOptions(string Hostname, int Port)
{
    /// <summary>No health listener (the default).</summary>
    public static readonly HealthOptions Off = new("127.0.0.1", 0);

    /// <summary>True when the listener should run.</summary>
    public bool Enabled => Port != 0;

    /// <summary>When set, <c>/metrics</c> answers only requests with <c>Authorization: Bearer</c> and this token.</summary>
    public string? MetricsToken { get; init; }

    /// <summary>Reads and validates <c>collector.health</c>.</summary>
    public static HealthOptions FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        StrictSection.Unknown(config, "collector.health", ["hostname", "port", "metrics-token"]);
        var token = config.GetString("collector.health.metrics-token", "").Trim();
        if (token.Length > 0 && (token.Length < 16 || token.Any(c => c <= ' ' || c > '~')))
        {
            throw new ConfigurationException("collector.health.metrics-token: must be at least 16 printable characters without spaces (or empty: /metrics open)");
        }

        return new HealthOptions(
            StrictSection.Hostname(config, "collector.health.hostname", "127.0.0.1"),
            StrictSection.Port(config, "collector.health.port", "turns it off"))
        {
            MetricsToken = token.Length == 0 ? null : token,
        };
    }
}
