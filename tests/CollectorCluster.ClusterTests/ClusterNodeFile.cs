using System.Globalization;
using System.Text;
using CollectorCluster.Testing;

namespace CollectorCluster.ClusterTests;

/// <summary>
/// Writes one node's config file: the shared PostgreSQL journal, the node's own Akka port and command-host port,
/// the seed nodes, and every account (each node knows them all; sharding decides who collects which).
/// </summary>
internal static class ClusterNodeFile
{
    public static string Write(
        string directory, string name, int akkaPort, int commandPort, IReadOnlyList<int> seedPorts, string journal,
        IReadOnlyList<(string Id, TestMailUser User)> accounts, int pop3Port, string maildir)
    {
        var text = new StringBuilder()
            .AppendLine("collector {")
            .AppendLine(CultureInfo.InvariantCulture, $"  state-directory = \"{Path.Combine(directory, name + "-state")}\"")
            .AppendLine(CultureInfo.InvariantCulture, $"  journal {{ provider = postgresql, connection-string = \"{journal}\" }}")
            .AppendLine(CultureInfo.InvariantCulture, $"  command-host.port = {commandPort}")
            // One token file for the whole cluster (the first node to start creates it), as an operator's collectorctl reads it.
            .AppendLine(CultureInfo.InvariantCulture, $"  command-host.token-file = \"{Path.Combine(directory, "command-host.token")}\"")
            .AppendLine("  max-pop3-clients = 10")
            .AppendLine("  max-per-server = 10")
            .AppendLine("  accounts = [");
        foreach (var (id, user) in accounts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {{ id = \"{id}\", pop3-server = \"127.0.0.1\", port = {pop3Port}, ssl = none, pop3-account = \"{user.Name}\", password = \"{user.Password}\",")
                .AppendLine(CultureInfo.InvariantCulture, $"      leave-mail-on-server = off, check-every = 10s, mailbox = \"maildir:{maildir}\", connect-timeout = 20s, command-timeout = 30s }}");
        }

        var seeds = string.Join(", ", seedPorts.Select(p => string.Create(CultureInfo.InvariantCulture, $"\"akka.tcp://collector@127.0.0.1:{p}\"")));
        text.AppendLine("  ]")
            .AppendLine("}")
            .AppendLine("akka {")
            .AppendLine(CultureInfo.InvariantCulture, $"  remote.dot-netty.tcp {{ hostname = 127.0.0.1, port = {akkaPort} }}")
            .AppendLine("  cluster {")
            .AppendLine(CultureInfo.InvariantCulture, $"    seed-nodes = [{seeds}]")
            // A fixed deployment of three: accounts are handed out only once three nodes are up, so they start spread.
            .AppendLine("    min-nr-of-members = 3")
            // Test only: rebalance rounds every 2 s instead of 10 s, so the 4th node's share arrives quickly.
            .AppendLine("    sharding.rebalance-interval = 2s")
            .AppendLine("  }")
            .AppendLine("}");
        CollectorCtl.RegisterTokenFile(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{commandPort}"), Path.Combine(directory, "command-host.token"));
        var path = Path.Combine(directory, name + ".hocon");
        File.WriteAllText(path, text.ToString());
        return path;
    }
}
