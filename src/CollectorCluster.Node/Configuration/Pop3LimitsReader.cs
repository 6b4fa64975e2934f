using Akka.Configuration;
using CollectorCluster.Pop3;
using static CollectorCluster.Node.Configuration.StrictSection;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// Reads <c>collector.pop3</c>, the node's limits on what a POP3 server may send (<see cref="Pop3Limits"/>): strictly,
/// so a misspelt key or a value out of range is an error naming the key, not a limit silently left at its default.
/// </summary>
public static class Pop3LimitsReader
{
    private const string Section = "collector.pop3";
    private const string Deadline = Section + ".session-deadline";
    private static readonly string[] Keys = ["max-line-length", "max-listed-messages", "body-slack", "session-deadline"];
    private static readonly string[] DeadlineKeys = ["base", "per-message", "min-throughput"];

    /// <summary>Reads and validates the section; throws <see cref="ConfigurationException"/> naming the key.</summary>
    public static Pop3Limits FromConfig(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        Unknown(config, Section, Keys);
        Unknown(config, Deadline, DeadlineKeys);
        var defaults = Pop3Limits.Default;
        var limits = new Pop3Limits(
            (int)Math.Min(int.MaxValue, Size(config, Section + ".max-line-length", defaults.MaxLineLength)),
            Whole(config, Section + ".max-listed-messages", defaults.MaxListedMessages),
            Size(config, Section + ".body-slack", defaults.BodySlack),
            Duration(config, Deadline + ".base", defaults.DeadlineBase),
            Duration(config, Deadline + ".per-message", defaults.DeadlinePerMessage),
            Size(config, Deadline + ".min-throughput", defaults.MinThroughput));
        try
        {
            limits.Validate();
        }
        catch (ArgumentException e)
        {
            // Validate names the key relative to the section.
            throw new ConfigurationException($"{Section}.{e.Message}", e);
        }

        return limits;
    }

    private static long Size(Config config, string key, long fallback)
    {
        if (!config.HasPath(key))
        {
            return fallback;
        }

        long? size = null;
        try
        {
            size = config.GetByteSize(key);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or NotSupportedException)
        {
        }

        return size is { } bytes && bytes >= 0
            ? bytes
            : throw new ConfigurationException($"{key}: '{config.GetString(key, "")}' is not a size (e.g. 8k, 1m, or a number of bytes)");
    }

    private static int Whole(Config config, string key, int fallback)
    {
        if (!config.HasPath(key))
        {
            return fallback;
        }

        var text = config.GetString(key, "").Trim();
        return int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ConfigurationException($"{key}: '{text}' is not a positive whole number");
    }

    private static TimeSpan Duration(Config config, string key, TimeSpan fallback)
    {
        if (!config.HasPath(key))
        {
            return fallback;
        }

        try
        {
            return config.GetTimeSpan(key, fallback, allowInfinite: false);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new ConfigurationException($"{key}: '{config.GetString(key, "")}' is not a duration (e.g. 2m, 500ms)");
        }
    }
}
