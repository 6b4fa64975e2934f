using System.Globalization;
using System.Text;
using CollectorCluster.Testing;

namespace CollectorCluster.ClusterTests;

/// <summary>One node of a test cluster: its ports, the shared journal and cluster key, and the caps.</summary>
/// <param name="Name">node1, node2, ...</param>
/// <param name="AkkaPort">Its cluster port.</param>
/// <param name="CommandPort">Its command host's port.</param>
/// <param name="SeedPorts">The seed nodes' cluster ports.</param>
/// <param name="Journal">The shared PostgreSQL journal.</param>
/// <param name="KeyFile">The cluster key file (the same for every member).</param>
public sealed record ClusterNodeSpec(string Name, int AkkaPort, int CommandPort, IReadOnlyList<int> SeedPorts, string Journal, string KeyFile)
{
    /// <summary>Mutual TLS: this node's certificate, key and the CA it trusts; null: plain TCP.</summary>
    public (string Certificate, string PrivateKey, string Ca)? Tls { get; init; }

    /// <summary>collector.max-per-server (cluster-wide).</summary>
    public int MaxPerServer { get; init; } = 10;

    /// <summary>collector.max-pop3-clients (this node's).</summary>
    public int MaxPop3Clients { get; init; } = 10;

    /// <summary>The accounts' check-every.</summary>
    public string CheckEvery { get; init; } = "10s";

    /// <summary>More of the node file, appended as is (e.g. a collector.sleep section).</summary>
    public string Extra { get; init; } = "";

    /// <summary>akka.cluster.min-nr-of-members.</summary>
    public int MinMembers { get; init; } = 3;

    /// <summary>The members' address protocol: akka.ssl.tcp with TLS.</summary>
    public string Protocol => Tls is null ? "akka.tcp" : "akka.ssl.tcp";

    /// <summary>This node's cluster address.</summary>
    public string Address => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Protocol}://collector@127.0.0.1:{AkkaPort}");
}

/// <summary>
/// Writes one node's config file: the shared PostgreSQL journal and cluster key, the node's own Akka and command-host
/// ports, the seed nodes, optional mutual TLS, and the accounts of the file. (Akka's <c>serialize-messages = on</c>
/// cannot run here: Akka.Persistence.Sql's own local messages fail its round trip. The node's unbound-message guard
/// logs any message that crosses nodes without a binding instead, and the tests fail on that line.)
/// </summary>
public static class ClusterNodeFile
{
    public static string Write(string directory, ClusterNodeSpec node, IReadOnlyList<(string Id, TestMailUser User)> accounts, int pop3Port, string maildir)
    {
        var text = new StringBuilder()
            .AppendLine("collector {")
            .AppendLine(CultureInfo.InvariantCulture, $"  state-directory = \"{Path.Combine(directory, node.Name + "-state")}\"")
            .AppendLine(CultureInfo.InvariantCulture, $"  journal {{ provider = postgresql, connection-string = \"{node.Journal}\" }}")
            .AppendLine(CultureInfo.InvariantCulture, $"  secrets.key-file = \"{node.KeyFile}\"")
            .AppendLine(CultureInfo.InvariantCulture, $"  command-host.port = {node.CommandPort}")
            // One token file for the whole cluster (the first node to start creates it), as an operator's collectorctl reads it.
            .AppendLine(CultureInfo.InvariantCulture, $"  command-host.token-file = \"{Path.Combine(directory, "command-host.token")}\"")
            .AppendLine(CultureInfo.InvariantCulture, $"  max-pop3-clients = {node.MaxPop3Clients}")
            .AppendLine(CultureInfo.InvariantCulture, $"  max-per-server = {node.MaxPerServer}")
            // Runtime accounts (collector add) may deliver only under the test's directory (its shared Maildir).
            .AppendLine(CultureInfo.InvariantCulture, $"  runtime-accounts.maildir-roots = [\"{directory}\"]");
        if (node.Tls is { } tls)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  cluster.tls {{ enabled = on, certificate = \"{tls.Certificate}\", private-key = \"{tls.PrivateKey}\", ca-certificate = \"{tls.Ca}\" }}");
        }

        text.AppendLine("  accounts = [");
        foreach (var (id, user) in accounts)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {{ id = \"{id}\", pop3-server = \"127.0.0.1\", port = {pop3Port}, ssl = none, pop3-account = \"{user.Name}\", password = \"{user.Password}\",")
                .AppendLine(CultureInfo.InvariantCulture, $"      leave-mail-on-server = off, check-every = {node.CheckEvery}, mailbox = \"maildir:{maildir}\", connect-timeout = 20s, command-timeout = 30s }}");
        }

        var seeds = string.Join(", ", node.SeedPorts.Select(p => string.Create(CultureInfo.InvariantCulture, $"\"{node.Protocol}://collector@127.0.0.1:{p}\"")));
        text.AppendLine("  ]")
            .AppendLine("}")
            .AppendLine("akka {")
            .AppendLine(CultureInfo.InvariantCulture, $"  remote.dot-netty.tcp {{ hostname = 127.0.0.1, port = {node.AkkaPort} }}")
            .AppendLine("  cluster {")
            .AppendLine(CultureInfo.InvariantCulture, $"    seed-nodes = [{seeds}]")
            // A fixed deployment: accounts are handed out only once this many nodes are up, so they start spread.
            .AppendLine(CultureInfo.InvariantCulture, $"    min-nr-of-members = {node.MinMembers}")
            // Test only: rebalance rounds every 2 s instead of 10 s, so a joining node's share arrives quickly.
            .AppendLine("    sharding.rebalance-interval = 2s")
            .AppendLine("  }")
            .AppendLine("}");
        text.AppendLine(node.Extra);
        // A diagnosis aid: CC_CLUSTER_EXTRA_HOCON (e.g. "akka.loglevel = DEBUG") is appended to every node file.
        text.AppendLine(Environment.GetEnvironmentVariable("CC_CLUSTER_EXTRA_HOCON") ?? "");
        CollectorCtl.RegisterTokenFile(string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{node.CommandPort}"), Path.Combine(directory, "command-host.token"));
        var path = Path.Combine(directory, node.Name + ".hocon");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>A fresh cluster key file (what <c>head -c 32 /dev/urandom | base64</c> makes), mode 0600.</summary>
    public static string WriteKey(string directory)
    {
        var path = Path.Combine(directory, "cluster.key");
        File.WriteAllText(path, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)) + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }
}
