using System.Globalization;
using System.Text.Json.Nodes;
using CollectorCluster.Testing;

namespace CollectorCluster.ClusterTests;

/// <summary>
/// Sleeping accounts (<c>collector.sleep</c>) on a 3-process cluster over PostgreSQL: an account asleep has no actor
/// and is not among sharding's remembered entities, so only its shard's alarm (remembered, journalled) knows to wake it.
/// When the node hosting that alarm is killed with SIGKILL, the alarm recovers on a survivor with its shard and wakes
/// the accounts; the mail that arrived meanwhile is delivered exactly once.
/// </summary>
[Collection("cluster processes")]
public sealed class SleepingFailoverTests(ITestOutputHelper output) : IDisposable
{
    private const int Accounts = 30;
    private static readonly TimeSpan PhaseLimit = TimeSpan.FromSeconds(120);
    private readonly ClusterRun run = new(output, "cc-sleep-cluster-", "node3");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Accounts_asleep_on_a_killed_node_are_woken_on_the_survivors_and_collect_exactly_once()
    {
        await using var postgres = await PostgresServer.StartAsync(Ct);
        await using var dovecot = await DovecotServer.StartAsync(new DovecotServerOptions { ExtraConfigLines = ["pop3_lock_session = yes"] }, Ct);
        var maildir = Path.Combine(run.Root, "shared-Maildir");
        var accounts = new List<(string Id, TestMailUser User)>();
        var expected = new List<TestMessage>();
        for (var i = 0; i < Accounts; i++)
        {
            accounts.Add((string.Create(CultureInfo.InvariantCulture, $"sl-{i:D2}"), await dovecot.CreateUserAsync("sl", Ct)));
        }

        ClusterRun.DropRound(dovecot, accounts, expected, round: 0);
        var akkaPorts = PortAllocator.Reserve(3);
        var commandPorts = PortAllocator.Reserve(3);
        var key = ClusterNodeFile.WriteKey(run.Root);
        var specs = Enumerable.Range(0, 3).Select(n => new ClusterNodeSpec($"node{n + 1}", akkaPorts[n], commandPorts[n], [akkaPorts[0], akkaPorts[1]], postgres.ConnectionString, key)
        {
            CheckEvery = "20s",
            MinMembers = 2, // two survivors of three still run the cluster (as ControlPlaneCluster)
            Extra = "collector.sleep { idle-accounts = on, min-idle = 5s, wake-ahead = 2s }",
        }).ToList();

        var node1 = Start(specs[0], accounts, dovecot.PlainPort, maildir);
        await node1.WaitForAsync("Cluster Node [", PhaseLimit, Ct); // node 1 creates the journal tables before the others race it
        Start(specs[1], accounts, dovecot.PlainPort, maildir);
        var node3 = Start(specs[2], accounts, dovecot.PlainPort, maildir);
        foreach (var node in run.Nodes)
        {
            await node.WaitForAsync($"up with {Accounts} account(s)", PhaseLimit, Ct);
        }

        await run.WaitUntilAsync("the first round delivered", () => SharedMaildir.CountDelivered(maildir) >= expected.Count);

        // Accounts asleep in node3's shards: listed at node1 with the address of the node whose alarm answers for them.
        var asleepOnNode3 = new List<string>();
        await run.WaitUntilAsync("accounts asleep in node3's shards", () =>
        {
            asleepOnNode3 = SleepingAt(commandPorts[0], specs[2].Address);
            return asleepOnNode3.Count >= 3;
        });
        run.Report($"asleep in node3's shards: {string.Join(", ", asleepOnNode3)}");

        ClusterRun.DropRound(dovecot, accounts, expected, round: 1);
        var killedAt = run.Locator.Clock.Elapsed;
        node3.KillHard();
        run.Report($"kill -9 node3; delivered so far {SharedMaildir.CountDelivered(maildir)} of {expected.Count}");

        await run.WaitUntilAsync(
            "the accounts asleep on node3 collecting on the survivors",
            () => run.Locator.FirstAfter(killedAt, asleepOnNode3, "node3", collectedOnly: true).Count == asleepOnNode3.Count,
            TimeSpan.FromSeconds(150));
        await run.WaitUntilAsync("every message delivered and every mailbox emptied", () => SharedMaildir.CountDelivered(maildir) >= expected.Count && accounts.All(a => dovecot.CountMessages(a.User.Name) == 0));
        var woke = run.Locator.FirstAfter(killedAt, asleepOnNode3, "node3", collectedOnly: true).Values.Select(t => (t - killedAt).TotalSeconds).Order().ToList();
        run.Report($"woken on the survivors and collected after first {woke[0]:F1} s, last {woke[^1]:F1} s (from kill -9)");

        var delivered = SharedMaildir.DeliveredMessageIds(maildir);
        var duplicated = delivered.Where(kv => kv.Value > 1).Select(kv => $"{kv.Key} x{kv.Value}").ToList();
        var missing = expected.Select(m => m.MessageId).Where(id => !delivered.ContainsKey(id)).ToList();
        Assert.True(duplicated.Count == 0, "Delivered more than once: " + string.Join(", ", duplicated.Take(10)));
        Assert.True(missing.Count == 0, $"{missing.Count} message(s) lost, e.g. {string.Join(", ", missing.Take(5))}");
        run.AssertNoUnboundMessages();
        Assert.All(run.Nodes.Where(n => n != node3), n => Assert.False(n.HasExited, $"{n.Name} exited:\n{n.Tail()}"));
    }

    public void Dispose() => run.Dispose();

    // The accounts `collector list --json` at a node shows asleep in the shards of the member at `address`.
    private static List<string> SleepingAt(int commandPort, string address)
    {
        var list = ClusterCtl.RunAsync(commandPort, "collector", "list", "--json").GetAwaiter().GetResult();
        if (list.ExitCode != 0)
        {
            return [];
        }

        return [.. JsonNode.Parse(list.Output)!.AsArray()
            .Where(a => a!["sleeping"]!.GetValue<bool>() && a["node"]?.GetValue<string>() == address)
            .Select(a => a!["id"]!.GetValue<string>())];
    }

    private ClusterNodeProcess Start(ClusterNodeSpec spec, List<(string Id, TestMailUser User)> accounts, int pop3Port, string maildir) =>
        run.Start(spec.Name, ClusterNodeFile.Write(run.Root, spec, accounts, pop3Port, maildir));
}
