using System.Globalization;
using System.Text.Json.Nodes;
using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// The operator command line's palettes against a real <c>collector run</c> (one node): cluster, shard, collector
/// (list across regions, collect --all with progress, pause/resume across a restart), actor, log, help, the
/// interactive prompt on a terminal, and the error paths with their exit codes.
/// </summary>
public sealed class CliPaletteTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();
    private readonly List<CollectorProcess> daemons = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Fact]
    public async Task Cluster_shard_actor_log_and_help_answer_and_refuse_bad_input_then_leave_stops_the_node()
    {
        var (at, daemon) = await StartNodeAsync("alpha", "beta");

        var status = await CtlClient.RunAsync(at, "cluster", "status");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("status: Up", status.Output);
        var self = status.Output.Split('\n')[0]["this node: ".Length..].Trim();
        Assert.StartsWith("akka.tcp://collector@", self);
        Assert.Contains($"leader: {self} (this node)", status.Output);
        Assert.Equal($"{self} (this node)", (await CtlClient.RunAsync(at, "cluster", "leader")).Output.Trim());
        var leaderJson = JsonNode.Parse((await CtlClient.RunAsync(at, "cluster", "leader", "--json")).Output)!;
        Assert.Equal(self, leaderJson["leader"]!.GetValue<string>());
        Assert.Contains("0 unreachable member(s)", (await CtlClient.RunAsync(at, "cluster", "unreachable")).Output);
        Assert.Contains("0 unreachable member(s) marked down", (await CtlClient.RunAsync(at, "cluster", "down-unreachable")).Output);
        var show = await CtlClient.RunAsync(at, "cluster", "show");
        Assert.Contains($"{self} (this node) | - | Up | reachable", show.Output);

        await AssertFailsAsync(at, ["cluster", "stauts"], "unknown command 'cluster stauts'; did you mean 'cluster status'?");
        await AssertFailsAsync(at, ["colector", "list"], "did you mean 'collector list'?");
        await AssertFailsAsync(at, ["frobnicate"], "unknown command 'frobnicate' (help lists the commands)");
        await AssertFailsAsync(at, ["cluster", "down", "akka.tcp://collector@127.0.0.1:1"], "'akka.tcp://collector@127.0.0.1:1' is not a member of this cluster");
        await AssertFailsAsync(at, ["cluster", "down", "nonsense"], "'nonsense' is not a cluster address");
        await AssertFailsAsync(at, ["cluster", "leave", "akka.tcp://collector@127.0.0.1:1"], "is not a member of this cluster");
        await AssertFailsAsync(at, ["cluster", "join", "nonsense"], "'nonsense' is not a cluster address");
        await AssertFailsAsync(at, ["cluster", "down"], "usage: cluster down <address>");
        await AssertFailsAsync(at, ["cluster", "status", "extra"], "usage: cluster status");

        var regions = await CtlClient.RunAsync(at, "shard", "regions");
        Assert.True(regions.ExitCode == 0, regions.ToString());
        Assert.Contains($"region 'account' on {self} (this node)", regions.Output);
        Assert.Contains("| alpha", regions.Output);
        Assert.Contains("| beta", regions.Output);
        Assert.Contains("2 entit(ies) on this node", regions.Output);
        var stats = await CtlClient.RunAsync(at, "shard", "stats");
        Assert.Contains($"{self} (this node) | 2 | 2", stats.Output);
        Assert.Contains("1 region(s), 2 shard(s), 2 entit(ies)", stats.Output);
        var location = JsonNode.Parse((await CtlClient.RunAsync(at, "shard", "entity-location", "alpha", "--json")).Output)!;
        Assert.Equal(self, location["address"]!.GetValue<string>());
        var shardId = location["shardId"]!.GetValue<string>();
        var regionsJson = JsonNode.Parse((await CtlClient.RunAsync(at, "shard", "regions", "--json")).Output)!;
        var hosting = regionsJson["shards"]!.AsArray().Single(s => s!["entities"]!.AsArray().Any(e => e!.GetValue<string>() == "alpha"))!;
        Assert.Equal(shardId, hosting["shardId"]!.GetValue<string>());
        Assert.Contains($"account alpha: shard {shardId} on {self} (this node)", (await CtlClient.RunAsync(at, "shard", "entity-location", "alpha")).Output);
        await AssertFailsAsync(at, ["shard", "entity-location"], "usage: shard entity-location <account>");

        var list = await CtlClient.RunAsync(at, "collector", "list", "--node", "--status", "never");
        Assert.Contains("2 account(s) on this node with status never", list.Output);
        Assert.Contains("0 account(s) with status ok", (await CtlClient.RunAsync(at, "collector", "list", "--status", "ok")).Output);
        await AssertFailsAsync(at, ["collector", "list", "--status", "sleepy"], "--status 'sleepy' is not one of ok, failed, never, disabled, paused, collecting");

        var tree = await CtlClient.RunAsync(at, "actor", "hierarchy");
        Assert.True(tree.ExitCode == 0, tree.ToString());
        Assert.StartsWith("/user\n", tree.Output.ReplaceLineEndings("\n"));
        Assert.Contains("── connection-tokens", tree.Output);
        var systemTree = await CtlClient.RunAsync(at, "actor", "hierarchy", "--system");
        Assert.Contains("\n/system\n", systemTree.Output.ReplaceLineEndings("\n"));
        Assert.Contains("── sharding", systemTree.Output);
        Assert.Contains("── alpha", systemTree.Output);
        await AssertFailsAsync(at, ["actor", "hierarchy", "--everything"], "usage: actor hierarchy [--system]");

        var tail = await CtlClient.RunAsync(at, "log", "tail", "-n", "200");
        Assert.Contains("Command host listening on", tail.Output);
        Assert.Single((await CtlClient.RunAsync(at, "log", "tail", "-n", "1")).Output.Trim().Split('\n'));
        await AssertFailsAsync(at, ["log", "tail", "-n", "0"], "-n '0' is not a positive number");
        // --follow: the tail, then new lines as they are logged (here: the operator's pause of beta).
        using (var follower = CtlClient.Start([at, "log", "tail", "-n", "1", "--follow"], null))
        {
            await CtlClient.ReadUntilAsync(follower, " info ");
            Assert.Equal(0, (await CtlClient.RunAsync(at, "collector", "pause", "beta")).ExitCode);
            await CtlClient.ReadUntilAsync(follower, "Account beta: paused by the operator");
            follower.Kill();
        }

        var help = await CtlClient.RunAsync(at, "help");
        foreach (var command in new[] { "cluster down-unreachable", "shard entity-location <account>", "collector pause <id>", "actor hierarchy [--system]", "log tail [-n N] [--follow]", "help [palette]" })
        {
            Assert.Contains(command, help.Output);
        }

        var helpJson = JsonNode.Parse((await CtlClient.RunAsync(at, "help", "shard", "--json")).Output)!;
        var shardPalette = Assert.Single(helpJson["palettes"]!.AsArray())!;
        Assert.Equal("shard", shardPalette["name"]!.GetValue<string>());
        Assert.Equal(["regions", "stats", "entity-location"], shardPalette["commands"]!.AsArray().Select(c => c!["verb"]!.GetValue<string>()));
        await AssertFailsAsync(at, ["help", "shrad"], "did you mean 'help shard'?");

        // The interactive prompt on a terminal: TAB completes, the history file remembers, up-arrow recalls.
        var stateHome = Path.Combine(node.Root, "xdg");
        var typed = await CtlClient.OnTerminalAsync(at, "clu\tsta\t\rexit\r", stateHome);
        Assert.True(typed.ExitCode == 0, typed.ToString());
        Assert.Contains("> cluster status ", typed.Output);
        Assert.Contains("status: Up", typed.Output);
        var historyFile = Path.Combine(stateHome, "collector-cluster", "ctl_history");
        Assert.Equal(["cluster status"], File.ReadAllLines(historyFile));
        // Lines with a secret are sent but never kept; the file is the operator's alone.
        var secret = TestSecrets.Password("history");
        var secretLines = await CtlClient.OnTerminalAsync(at, $"collector add x --password {secret}\rnode show --token {secret}\rexit\r", stateHome);
        Assert.Contains("collector add: no password", secretLines.Output);
        Assert.Equal(["cluster status"], File.ReadAllLines(historyFile));
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(historyFile) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), "ctl_history is not 0600");
        Assert.DoesNotContain(secret, File.ReadAllText(historyFile));
        var recalled = await CtlClient.OnTerminalAsync(at, "\u001b[A\rexit\r", stateHome);
        Assert.True(recalled.ExitCode == 0, recalled.ToString());
        Assert.Contains("status: Up", recalled.Output);
        // Piped stdin: plain lines, no prompt, no history.
        using (var piped = CtlClient.Start([at], null))
        {
            await piped.StandardInput.WriteAsync("cluster leader\nshard stats\nexit\n".AsMemory(), Ct);
            piped.StandardInput.Close();
            var output = await piped.StandardOutput.ReadToEndAsync(Ct);
            await piped.WaitForExitAsync(Ct);
            Assert.Equal(0, piped.ExitCode);
            Assert.Equal($"{self} (this node)", output.Split('\n')[0].Trim());
            Assert.Contains("1 region(s)", output);
            Assert.DoesNotContain("> ", output);
        }

        // Leaving with the only node: coordinated shutdown ends collector run by itself, exit 0.
        var leave = await CtlClient.RunAsync(at, "cluster", "leave");
        Assert.True(leave.ExitCode == 0, leave.ToString());
        Assert.Contains($"{self} (this node) is leaving", leave.Output);
        var stopped = await daemon.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Equal(3, (await CtlClient.RunAsync(at, "cluster", "show")).ExitCode);
    }

    [Fact]
    public async Task Collect_all_streams_progress_and_a_pause_is_journaled_across_a_restart()
    {
        var users = new[] { await Server.CreateUserAsync("cla", Ct), await Server.CreateUserAsync("clb", Ct) };
        var messages = new List<TestMessage>();
        foreach (var user in users)
        {
            var mine = Enumerable.Range(0, 2).Select(i => MessageFactory.Create(1500 + (i * 100), 800 + i)).ToList();
            mine.ForEach(m => Server.DropMessage(user.Name, m));
            messages.AddRange(mine);
        }

        var (at, daemon) = await StartNodeAsync(users);
        var all = await CtlClient.RunAsync(at, "collector", "collect", "--all");
        Assert.True(all.ExitCode == 0, all.ToString());
        // Piped: one plain progress line per finished account, then the summary.
        Assert.Contains("[0/2] collecting 2 account(s)", all.Output);
        Assert.Contains("[1/2] ", all.Output);
        Assert.Contains("[2/2] ", all.Output);
        Assert.Contains("2 account(s): 2 ok, 0 failed, 4 message(s) collected", all.Output);
        Assert.DoesNotContain("\u001b[", all.Output);
        node.AssertHoldsExactly(messages);
        var json = JsonNode.Parse((await CtlClient.RunAsync(at, "collector", "collect", "--all", "--json")).Output)!.AsArray();
        Assert.Equal(2, json.Count);
        Assert.Contains("2 account(s) with status ok", (await CtlClient.RunAsync(at, "collector", "list", "--status", "ok")).Output);

        var pause = await CtlClient.RunAsync(at, "collector", "pause", "a0");
        Assert.True(pause.ExitCode == 0, pause.ToString());
        Assert.Contains("a0: paused", pause.Output);
        Assert.Contains("a0: already paused", (await CtlClient.RunAsync(at, "collector", "pause", "a0")).Output);
        await AssertFailsAsync(at, ["collector", "collect", "a0"], "account is paused (collector resume a0)");
        await AssertFailsAsync(at, ["collector", "pause", "nosuch"], "unknown account 'nosuch'");
        await AssertFailsAsync(at, ["collector", "resume"], "usage: collector resume <id>");

        daemon.Terminate();
        Assert.Equal(0, (await daemon.WaitAsync(TimeSpan.FromSeconds(90), Ct)).ExitCode);
        daemon = node.StartProcess("run", "--config", node.NodeFile);
        daemons.Add(daemon);
        await CtlClient.WaitForCommandHostAsync(daemon, at);

        // The pause came back from the journal: still refused, listed as paused, no next collection.
        Assert.Contains("paused: yes", (await CtlClient.RunAsync(at, "collector", "show", "a0")).Output);
        Assert.Contains("paused: no", (await CtlClient.RunAsync(at, "collector", "show", "a1")).Output);
        var paused = JsonNode.Parse((await CtlClient.RunAsync(at, "collector", "list", "--status", "paused", "--json")).Output)!.AsArray();
        Assert.Equal("a0", Assert.Single(paused)!["id"]!.GetValue<string>());
        Assert.Null(paused[0]!["nextDue"]);
        await AssertFailsAsync(at, ["collector", "collect", "--all"], "account is paused");

        var more = MessageFactory.Create(1234, 900);
        Server.DropMessage(users[0].Name, more);
        messages.Add(more);
        Assert.Contains("a0: resumed", (await CtlClient.RunAsync(at, "collector", "resume", "a0")).Output);
        var collect = await CtlClient.RunAsync(at, "collector", "collect", "a0");
        Assert.True(collect.ExitCode == 0, collect.ToString());
        Assert.Contains("collected 1", collect.Output);
        node.AssertHoldsExactly(messages);

        daemon.Terminate();
        var stopped = await daemon.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.Equal(0, stopped.ExitCode);
        Assert.All(users, u => Assert.DoesNotContain(u.Password, stopped.Error + stopped.Output));
    }

    public void Dispose()
    {
        daemons.ForEach(d => d.Dispose());
        node.Dispose();
    }

    private static async Task AssertFailsAsync(string at, string[] words, string error)
    {
        var result = await CtlClient.RunAsync([at, .. words]);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(error, result.Error);
    }

    private Task<(string At, CollectorProcess Daemon)> StartNodeAsync(params string[] ids) =>
        StartNodeAsync(ids.Select(id => new AccountSpec(id, new TestMailUser(id, "unused-password"), 1) { Extra = "      check-every = 24h" }).ToArray());

    private Task<(string At, CollectorProcess Daemon)> StartNodeAsync(TestMailUser[] users) =>
        StartNodeAsync(users.Select((u, i) => new AccountSpec($"a{i}", u, Server.PlainPort) { Extra = "      check-every = 24h" }).ToArray());

    private async Task<(string At, CollectorProcess Daemon)> StartNodeAsync(AccountSpec[] accounts)
    {
        node.WriteNodeFile(accounts);
        var at = node.ServeCommands();
        var daemon = node.StartProcess("run", "--config", node.NodeFile);
        daemons.Add(daemon);
        await CtlClient.WaitForCommandHostAsync(daemon, at);
        return (at, daemon);
    }
}
