using System.Globalization;
using System.Text.Json.Nodes;
using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// The operator CLI end to end: a real <c>collector run</c> process with its command host on a private port, driven
/// by the built <c>collectorctl</c> as an operator would (list, collect, show, messages, mark, reset, tokens,
/// cluster, --json, and the error exits), then stopped with SIGTERM.
/// </summary>
public sealed class CtlTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Fact]
    public async Task Collectorctl_drives_a_running_node_and_reports_errors_with_exit_codes()
    {
        var user = await Server.CreateUserAsync("ctl", Ct);
        var messages = Enumerable.Range(0, 3).Select(i => MessageFactory.Create(2000 + (i * 300), 700 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(user.Name, m));
        // A long interval, so what gets collected is what collectorctl asks for.
        node.WriteNodeFile(new AccountSpec("ctl", user, Server.PlainPort) { LeaveMailOnServer = true, Extra = "      check-every = 24h" });
        var at = node.ServeCommands();

        using var daemon = node.StartProcess("run", "--config", node.NodeFile);
        var cluster = await WaitForCommandHostAsync(daemon, at);
        Assert.Contains("1 member(s), 1 up, 0 unreachable", cluster.Output);
        Assert.Contains("| Up | reachable", cluster.Output);

        var list = await CtlAsync(at, "collector", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains($"ctl | {user.Name}@127.0.0.1", list.Output);
        Assert.Contains("1 account(s)", list.Output);

        var collect = await CtlAsync(at, "collector", "collect", "ctl");
        Assert.True(collect.ExitCode == 0, collect.ToString());
        Assert.Contains("ctl (", collect.Output);
        Assert.Contains(": ok, listed 3", collect.Output);
        node.AssertHoldsExactly(messages);

        var show = await CtlAsync(at, "collector", "show", "ctl");
        Assert.Equal(0, show.ExitCode);
        Assert.Contains("account: ctl", show.Output);
        Assert.Contains("collected, still on server: 3", show.Output);

        var lines = await CtlAsync(at, "collector", "messages", "ctl", "--json");
        Assert.Equal(0, lines.ExitCode);
        var parsed = JsonNode.Parse(lines.Output)!.AsArray();
        Assert.Equal(3, parsed.Count);
        Assert.All(parsed, l => Assert.Equal("downloaded", l!["state"]!.GetValue<string>()));
        var uidl = parsed[0]!["uidl"]!.GetValue<string>();
        var text = await CtlAsync(at, "collector", "messages", "ctl");
        Assert.Contains($"{uidl} | ", text.Output);
        Assert.Contains("3 message(s)", text.Output);

        // Deleting a message that was never collected loses its only copy: previewed without --yes, nothing marked.
        var uncollected = await CtlAsync(at, "collector", "mark", "ctl", "never-collected-uidl", "delete");
        Assert.True(uncollected.ExitCode == 0, uncollected.ToString());
        Assert.Contains("ctl never-collected-uidl: mark delete would delete a message that was never collected", uncollected.Output);
        Assert.Contains("add --yes", uncollected.Output);
        Assert.DoesNotContain("never-collected-uidl", (await CtlAsync(at, "collector", "messages", "ctl")).Output);
        var confirmed = await CtlAsync(at, "collector", "mark", "ctl", "never-collected-uidl", "delete", "--yes");
        Assert.Contains("marked for deletion", confirmed.Output);
        Assert.Contains("never-collected-uidl", (await CtlAsync(at, "collector", "messages", "ctl")).Output);
        Assert.Contains("mark cleared", (await CtlAsync(at, "collector", "mark", "ctl", "never-collected-uidl", "clear")).Output);

        // A collected message has its copy here: marking it needs no --yes.
        var mark = await CtlAsync(at, "collector", "mark", "ctl", uidl, "delete");
        Assert.True(mark.ExitCode == 0, mark.ToString());
        Assert.Contains("marked for deletion", mark.Output);
        Assert.Contains("marked-delete", (await CtlAsync(at, "collector", "messages", "ctl")).Output);
        var afterMark = await CtlAsync(at, "collector", "collect", "ctl");
        Assert.True(afterMark.ExitCode == 0, afterMark.ToString());
        Assert.Contains("deleted 1", afterMark.Output);
        Assert.Equal(2, Server.CountMessages(user.Name));

        var preview = await CtlAsync(at, "collector", "reset", "ctl");
        Assert.Equal(0, preview.ExitCode);
        Assert.Contains("reset would forget 2 collected message(s)", preview.Output);
        Assert.Contains("add --yes", preview.Output);
        Assert.Contains("collected, still on server: 2", (await CtlAsync(at, "collector", "show", "ctl")).Output);
        var reset = await CtlAsync(at, "collector", "reset", "ctl", "--yes");
        Assert.Equal(0, reset.ExitCode);
        Assert.Contains("forgot 2 collected message(s)", reset.Output);
        Assert.Contains("collected, still on server: 0", (await CtlAsync(at, "collector", "show", "ctl")).Output);

        var tokens = await CtlAsync(at, "tokens", "show");
        Assert.Equal(0, tokens.ExitCode);
        Assert.Contains("held: 0", tokens.Output);
        var tokenJson = JsonNode.Parse((await CtlAsync(at, "tokens", "show", "--json")).Output)!;
        Assert.True(tokenJson["grantedTotal"]!.GetValue<long>() >= 2);

        var listJson = JsonNode.Parse((await CtlAsync(at, "collector", "list", "--json")).Output)!.AsArray();
        Assert.Equal("ctl", Assert.Single(listJson)!["id"]!.GetValue<string>());
        var help = await CtlAsync(at, "help");
        Assert.Contains("collector mark <id> <uidl> download|delete|clear", help.Output);

        var unknown = await CtlAsync(at, "frobnicate", "now");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("unknown command 'frobnicate now'", unknown.Error);
        var noAccount = await CtlAsync(at, "collector", "show", "nosuch");
        Assert.Equal(1, noAccount.ExitCode);
        Assert.Contains("unknown account 'nosuch'", noAccount.Error);
        var badMark = await CtlAsync(at, "collector", "mark", "ctl", uidl, "shred");
        Assert.Equal(1, badMark.ExitCode);
        Assert.Contains("'shred' is not one of download, delete, clear", badMark.Error);
        var usage = await CtlAsync("127.0.0.1:notaport", "cluster", "show");
        Assert.Equal(2, usage.ExitCode);

        var closed = PortAllocator.Reserve();
        var unreachable = await CtlAsync($"127.0.0.1:{closed}", "cluster", "show");
        Assert.Equal(3, unreachable.ExitCode);
        Assert.Contains($"127.0.0.1:{closed}", unreachable.Error);

        daemon.Terminate();
        var stopped = await daemon.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains("Command host listening on " + at + " (collectorctl; plain TCP, loopback only; token in " + node.TokenFile + ")", stopped.Error);
        Assert.DoesNotContain(user.Password, stopped.Error + stopped.Output);
    }

    [Fact]
    public async Task A_refused_password_shows_as_needs_operator_and_collector_resume_clears_it()
    {
        var user = await Server.CreateUserAsync("ctlauth", Ct);
        Server.DropMessage(user.Name, MessageFactory.Create(1500, 31));
        node.WriteNodeFile(new AccountSpec("auth", user, Server.PlainPort) { Password = "not-the-password", Extra = "      check-every = 24h" });
        var at = node.ServeCommands();

        using var daemon = node.StartProcess("run", "--config", node.NodeFile);
        await WaitForCommandHostAsync(daemon, at);

        var collect = await CtlAsync(at, "collector", "collect", "auth");
        Assert.Equal(1, collect.ExitCode);
        var show = await CtlAsync(at, "collector", "show", "auth");
        Assert.Contains("health: NeedsOperator", show.Output);
        Assert.Contains("after fixing it: collector resume auth", show.Output);
        var json = JsonNode.Parse((await CtlAsync(at, "collector", "show", "auth", "--json")).Output)!;
        Assert.Equal("NeedsOperator", json["health"]!.GetValue<string>());
        Assert.Equal("needs-operator", json["status"]!.GetValue<string>());
        Assert.Contains("auth | ", (await CtlAsync(at, "collector", "list", "--status", "needs-operator")).Output);

        // Refused without dialing again: the collector never retries a refused password by itself.
        var refused = await CtlAsync(at, "collector", "collect", "auth");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("needs operator", refused.Output + refused.Error);

        var resume = await CtlAsync(at, "collector", "resume", "auth");
        Assert.True(resume.ExitCode == 0, resume.ToString());
        Assert.Contains("auth: was NeedsOperator", resume.Output);
        Assert.DoesNotContain("health: NeedsOperator", (await CtlAsync(at, "collector", "show", "auth")).Output);

        daemon.Terminate();
        var stopped = await daemon.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.DoesNotContain("not-the-password", stopped.Error + stopped.Output + show.Output);
    }

    public void Dispose() => node.Dispose();

    private static Task<OnceResult> WaitForCommandHostAsync(CollectorProcess daemon, string at) => CtlClient.WaitForCommandHostAsync(daemon, at);

    private static Task<OnceResult> CtlAsync(params string[] arguments) => CtlClient.RunAsync(arguments);
}
