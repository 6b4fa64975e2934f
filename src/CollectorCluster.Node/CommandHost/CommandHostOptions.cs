using Config = Akka.Configuration.Config;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// Where the operator command host listens (<c>collector.command-host</c>). Loopback by default so only someone
/// on the machine can drive the node; any other address needs a shared token, because the commands can delete mail.
/// </summary>
/// <param name="Hostname">The address to bind.</param>
/// <param name="Port">The TCP port; 0 disables the command host.</param>
/// <param name="Token">The token every request must carry; null when none is required.</param>
public sealed record CommandHostOptions(string Hostname, int Port, string? Token)
{
    /// <summary>True when the command host should run.</summary>
    public bool Enabled => Port != 0;

    /// <summary>Reads and validates the section; throws <see cref="ConfigurationException"/> naming the key.</summary>
    public static CommandHostOptions FromConfig(Config config)
    {
        var hostname = config.GetString("collector.command-host.hostname", CommandWire.DefaultHostname).Trim();
        var port = config.GetInt("collector.command-host.port", CommandWire.DefaultPort);
        var token = config.GetString("collector.command-host.token", "");
        if (port is < 0 or > 65535)
        {
            throw new ConfigurationException($"collector.command-host.port: {port} is not a TCP port (0 disables the command host)");
        }

        if (!System.Net.IPAddress.TryParse(hostname, out var address) && hostname != "localhost")
        {
            throw new ConfigurationException($"collector.command-host.hostname: '{hostname}' is not an IP address or localhost");
        }

        var loopback = hostname == "localhost" || (address is not null && System.Net.IPAddress.IsLoopback(address));
        if (port != 0 && !loopback && string.IsNullOrEmpty(token))
        {
            throw new ConfigurationException(
                $"collector.command-host.hostname: '{hostname}' is not a loopback address; set collector.command-host.token so only operators who know it can send commands");
        }

        return new CommandHostOptions(hostname, port, string.IsNullOrEmpty(token) ? null : token);
    }
}
