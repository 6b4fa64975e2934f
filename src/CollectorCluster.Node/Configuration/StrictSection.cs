using Config = Akka.Configuration.Config;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// Reading a node-file section strictly: unknown keys, values that are not durations or positive numbers are
/// <see cref="ConfigurationException"/>s naming the key (the web console's, health and log sections).
/// </summary>
public static class StrictSection
{
    /// <summary>Fails on a key of <paramref name="path"/> that is not in <paramref name="known"/>, or when it is not an object.</summary>
    public static void Unknown(Config config, string path, IReadOnlyCollection<string> known)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.HasPath(path))
        {
            return;
        }

        var value = config.GetValue(path);
        if (!value.IsObject())
        {
            throw new ConfigurationException($"{path}: must be an object");
        }

        foreach (var key in value.GetObject().Items.Keys.Where(k => !known.Contains(k)))
        {
            throw new ConfigurationException($"{path}.{key}: unknown key (known: {string.Join(", ", known)})");
        }
    }

    /// <summary>A positive duration, or <paramref name="fallback"/> when absent.</summary>
    public static TimeSpan Duration(Config config, string key, TimeSpan fallback)
    {
        ArgumentNullException.ThrowIfNull(config);
        TimeSpan value;
        try
        {
            value = config.GetTimeSpan(key, fallback, allowInfinite: false);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new ConfigurationException($"{key}: not a duration (e.g. 10s, 5m)");
        }

        return value > TimeSpan.Zero ? value : throw new ConfigurationException($"{key}: must be a positive duration (e.g. 10s, 5m)");
    }

    /// <summary>A positive whole number, or <paramref name="fallback"/> when absent.</summary>
    public static int Positive(Config config, string key, int fallback)
    {
        ArgumentNullException.ThrowIfNull(config);
        var value = config.GetInt(key, fallback);
        return value > 0 ? value : throw new ConfigurationException($"{key}: must be a positive whole number");
    }

    /// <summary>A TCP port (0 allowed: off).</summary>
    public static int Port(Config config, string key, string zeroMeans)
    {
        ArgumentNullException.ThrowIfNull(config);
        var port = config.GetInt(key, 0);
        return port is >= 0 and <= 65535 ? port : throw new ConfigurationException($"{key}: {port} is not a TCP port (0 {zeroMeans})");
    }

    /// <summary>An IP address or <c>localhost</c> to listen on.</summary>
    public static string Hostname(Config config, string key, string fallback)
    {
        ArgumentNullException.ThrowIfNull(config);
        var hostname = config.GetString(key, fallback).Trim();
        return System.Net.IPAddress.TryParse(hostname, out _) || hostname == "localhost"
            ? hostname
            : throw new ConfigurationException($"{key}: '{hostname}' is not an IP address or localhost");
    }

    /// <summary>True when <paramref name="hostname"/> (an IP address or localhost) is a loopback address.</summary>
    public static bool IsLoopback(string hostname) =>
        hostname == "localhost" || (System.Net.IPAddress.TryParse(hostname, out var address) && System.Net.IPAddress.IsLoopback(address));
}
