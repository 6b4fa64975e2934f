using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Remote.Hosting;
using Config = Akka.Configuration.Config;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// Reads the node's own Akka keys (<c>akka.remote.dot-netty.tcp</c>, <c>akka.cluster</c>: where this node listens and
/// which nodes it joins) into Akka.Hosting's options, checked at load. Everything else in the <c>akka</c> section (the
/// tuned failure detector, split-brain resolver and sharding settings) stays HOCON, as the defaults file writes it.
/// </summary>
public static class ClusterConfigReader
{
    /// <summary>Where this node listens for the other members.</summary>
    public static RemoteOptions Remote(Config config)
    {
        const string tcp = "akka.remote.dot-netty.tcp";
        var port = config.GetInt($"{tcp}.port", 0);
        if (port is < 0 or > 65535)
        {
            throw new ConfigurationException($"{tcp}.port: {port} is not a TCP port (0 picks a free one)");
        }

        var publicHostname = config.GetString($"{tcp}.public-hostname", "");
        var publicPort = config.GetInt($"{tcp}.public-port", 0);
        return new RemoteOptions
        {
            HostName = config.GetString($"{tcp}.hostname", "127.0.0.1"),
            Port = port,
            PublicHostName = string.IsNullOrWhiteSpace(publicHostname) ? null : publicHostname,
            PublicPort = publicPort == 0 ? null : publicPort,
        };
    }

    /// <summary>The seed nodes (none: the node forms a cluster of its own), its roles, and the members needed before it hosts accounts.</summary>
    public static ClusterOptions Cluster(Config config)
    {
        var seeds = config.HasPath("akka.cluster.seed-nodes") ? config.GetStringList("akka.cluster.seed-nodes") : [];
        foreach (var seed in seeds)
        {
            try
            {
                _ = Address.Parse(seed);
            }
            catch (Exception e) when (e is UriFormatException or ArgumentException or FormatException)
            {
                throw new ConfigurationException($"akka.cluster.seed-nodes: '{seed}' is not an Akka address (akka.tcp://collector@host:port)", e);
            }
        }

        return new ClusterOptions
        {
            SeedNodes = [.. seeds],
            Roles = config.HasPath("akka.cluster.roles") ? [.. config.GetStringList("akka.cluster.roles")] : null,
            MinimumNumberOfMembers = config.HasPath("akka.cluster.min-nr-of-members") ? config.GetInt("akka.cluster.min-nr-of-members") : null,
        };
    }
}
