using System.Globalization;
using System.Text.Json.Nodes;
using CollectorCluster.Testing;

namespace CollectorCluster.ClusterTests;

/// <summary>
/// One cluster shared by the control-plane scenarios (<see cref="ControlPlaneTests"/>): a private PostgreSQL journal,
/// a private Dovecot behind a <see cref="SessionGate"/> (which holds each new session 300 ms, so sessions overlap and
/// the cap is contended), and three `collector run` processes with mutual TLS, one cluster key and max-per-server = 4,
/// collecting 60 file accounts on that one server name into a shared Maildir.
/// </summary>
public sealed class ControlPlaneCluster : IAsyncLifetime
{
    /// <summary>The file accounts, all on the one server.</summary>
    public const int FileAccounts = 60;

    /// <summary>The cluster-wide cap on sessions to that server.</summary>
    public const int MaxPerServer = 4;

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(150);
    private readonly Dictionary<string, ClusterNodeProcess> processes = new(StringComparer.Ordinal);

    public string Root { get; } = Directory.CreateTempSubdirectory("cc-control-").FullName;

    public PostgresServer Postgres { get; private set; } = null!;

    public DovecotServer Dovecot { get; private set; } = null!;

    public SessionGate Gate { get; private set; } = null!;

    public AccountLocator Locator { get; } = new();

    public string Maildir => Path.Combine(Root, "Maildir");

    public string KeyFile { get; private set; } = null!;

    /// <summary>The file accounts and their mailboxes.</summary>
    public List<(string Id, TestMailUser User)> Accounts { get; } = [];

    /// <summary>Messages dropped for the file accounts before the start.</summary>
    public List<TestMessage> Expected { get; } = [];

    /// <summary>node1..node3.</summary>
    public IReadOnlyList<string> Names { get; } = ["node1", "node2", "node3"];

    public Dictionary<string, int> AkkaPorts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, int> CommandPorts { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> NodeFiles { get; } = new(StringComparer.Ordinal);

    public ClusterCertificates Ca { get; private set; } = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ClusterNodeProcess Node(string name) => processes[name];

    public IEnumerable<ClusterNodeProcess> Live => processes.Values.Where(p => !p.HasExited);

    public async ValueTask InitializeAsync()
    {
        Postgres = await PostgresServer.StartAsync(Ct);
        Dovecot = await DovecotServer.StartAsync(new DovecotServerOptions { ExtraConfigLines = ["pop3_lock_session = yes"] }, Ct);
        Gate = new SessionGate(Dovecot.PlainPort, TimeSpan.FromMilliseconds(300));
        for (var i = 0; i < FileAccounts; i++)
        {
            var user = await Dovecot.CreateUserAsync("cap", Ct);
            Accounts.Add((string.Create(CultureInfo.InvariantCulture, $"cap-{i:D2}"), user));
            for (var round = 0; round < 2; round++)
            {
                var message = MessageFactory.Create(900 + (round * 50) + i, 700_000 + (round * 1000) + i);
                Dovecot.DropMessage(user.Name, message);
                Expected.Add(message);
            }
        }

        KeyFile = ClusterNodeFile.WriteKey(Root);
        Ca = ClusterCertificates.CreateCa(Path.Combine(Root, "tls"), "cluster-ca");
        var akka = PortAllocator.Reserve(3);
        var commands = PortAllocator.Reserve(3);
        for (var n = 0; n < Names.Count; n++)
        {
            AkkaPorts[Names[n]] = akka[n];
            CommandPorts[Names[n]] = commands[n];
        }

        foreach (var name in Names)
        {
            NodeFiles[name] = WriteNodeFile(name, Accounts);
        }

        Start("node1");
        await Node("node1").WaitForAsync("Cluster Node [", StartLimit, Ct); // node1 creates the journal's tables first
        Start("node2");
        Start("node3");
        foreach (var node in Live)
        {
            await node.WaitForAsync($"up with {FileAccounts} account(s)", StartLimit, Ct);
        }
    }

    /// <summary>Writes (or rewrites) a node's file with <paramref name="accounts"/>.</summary>
    public string WriteNodeFile(string name, IReadOnlyList<(string Id, TestMailUser User)> accounts)
    {
        var (certificate, privateKey) = Ca.Issue(name);
        var spec = new ClusterNodeSpec(name, AkkaPorts[name], CommandPorts[name], [AkkaPorts["node1"], AkkaPorts["node2"]], Postgres.ConnectionString, KeyFile)
        {
            Tls = (certificate, privateKey, Ca.CaPath),
            MaxPerServer = MaxPerServer,
            CheckEvery = "20s",
            // A majority, as deploy/ ships: with all three, sharding's coordinator restarted after a kill -9 of the oldest
            // node (node1) waits for a third region that never comes, and nothing of node1's moves (the registry neither).
            MinMembers = 2,
        };
        return ClusterNodeFile.Write(Root, spec, accounts, Gate.Port, Maildir);
    }

    /// <summary>Starts (or starts again) a node on its file.</summary>
    public ClusterNodeProcess Start(string name)
    {
        if (processes.Remove(name, out var old))
        {
            old.Dispose();
        }

        var node = new ClusterNodeProcess(name, NodeFiles[name], Root, Locator);
        processes[name] = node;
        return node;
    }

    /// <summary>collectorctl at <paramref name="node"/>.</summary>
    public Task<CtlResult> CtlAsync(string node, params string[] arguments) => ClusterCtl.RunAsync(CommandPorts[node], arguments);

    /// <summary>collectorctl at <paramref name="node"/> with <paramref name="stdin"/> (the password of --password-stdin).</summary>
    public Task<CtlResult> CtlWithInputAsync(string node, string stdin, params string[] arguments) =>
        CollectorCtl.RunAsync([$"127.0.0.1:{CommandPorts[node]}", .. arguments], Ct, stdin);

    /// <summary>The node whose cluster address is <paramref name="address"/>, or null.</summary>
    public string? NodeAt(string? address) =>
        address is null ? null : Names.FirstOrDefault(n => address.EndsWith($":{AkkaPorts[n]}", StringComparison.Ordinal));

    /// <summary>Where sharding puts <paramref name="account"/> (asked at node1), or null when its shard has no home yet.</summary>
    public async Task<string?> HostOfAsync(string account)
    {
        var where = await CtlAsync("node1", "shard", "entity-location", account, "--json");
        Assert.True(where.ExitCode == 0, where.ToString());
        return NodeAt(JsonNode.Parse(where.Output)!["address"]?.GetValue<string>());
    }

    /// <summary>Message-IDs in the shared Maildir, with how often each was delivered.</summary>
    public Dictionary<string, int> Delivered()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in new[] { "new", "cur" }.Select(d => Path.Combine(Maildir, d)).Where(Directory.Exists).SelectMany(Directory.EnumerateFiles))
        {
            var id = MessageHeaders.MessageIdOf(File.ReadAllBytes(file)) ?? "(none)";
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in processes.Values)
        {
            node.Dispose();
        }

        await Gate.DisposeAsync();
        await Dovecot.DisposeAsync();
        await Postgres.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory is harmless.
        }
    }
}
