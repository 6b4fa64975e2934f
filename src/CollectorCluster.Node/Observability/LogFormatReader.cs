using CollectorCluster.Node.Configuration;
using Config = Akka.Configuration.Config;

namespace CollectorCluster.Node.Observability;

/// <summary>Reads <c>collector.log</c>.</summary>
public static class LogFormatReader
{
    /// <summary>The configured format; an unknown one is a <see cref="ConfigurationException"/>.</summary>
    public static LogFormat FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        StrictSection.Unknown(config, "collector.log", ["format"]);
        return config.GetString("collector.log.format", "text").Trim().ToLowerInvariant() switch
        {
            "text" => LogFormat.Text,
            "json" => LogFormat.Json,
            var other => throw new ConfigurationException($"collector.log.format: '{other}' is not one of text, json"),
        };
    }
}
