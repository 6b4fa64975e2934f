using System.Text.Json.Nodes;
using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// <c>collector.sleep</c> against a real <c>collector run</c> and Dovecot: an idle account stops its actor and leaves its
/// wake time with its shard's alarm, which answers for it while it sleeps and wakes it for its slot; the mail that
/// arrives meanwhile is collected exactly once, and the account falls asleep again.
/// </summary>
public sealed class SleepingAccountTests(DovecotFixture fixture) : IDisposable
{
    private const string Sleep = "collector.sleep { idle-accounts = on, min-idle = 5s, wake-ahead = 2s }";
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Fact]
    public async Task An_idle_account_sleeps_answers_from_its_alarm_and_wakes_to_collect_at_its_slot()
    {
        var user = await Server.CreateUserAsync("sleeper", Ct);
        var first = Enumerable.Range(0, 3).Select(i => MessageFactory.Create(1500 + (i * 300), 700 + i)).ToList();
        first.ForEach(m => Server.DropMessage(user.Name, m));
        node.WriteNodeFile(new AccountSpec("sleeper", user, Server.PlainPort) { Extra = "      check-every = 10s" });
        var at = node.ServeCommands(Sleep);
        using var daemon = node.StartProcess("run", "--config", node.NodeFile);
        await CtlClient.WaitForCommandHostAsync(daemon, at);
        await node.WaitForFilesAsync(daemon, 3);

        // Asleep: still listed (on this node, where its shard's alarm lives), answered by the alarm as it stood.
        var asleep = await WaitForSleepAsync(at);
        Assert.Equal("ok", asleep["status"]?.GetValue<string>());
        Assert.Equal(3, asleep["totalCollected"]!.GetValue<long>());
        var show = await CtlClient.RunAsync(at, "collector", "show", "sleeper");
        Assert.Contains("the account sleeps until then", show.Output);

        // Mail that arrives while it sleeps is collected at its next slot: the alarm woke it.
        var later = Enumerable.Range(0, 2).Select(i => MessageFactory.Create(2500 + (i * 300), 800 + i)).ToList();
        later.ForEach(m => Server.DropMessage(user.Name, m));
        await node.WaitForFilesAsync(daemon, 5);
        var again = await WaitForSleepAsync(at);
        Assert.Equal(5, again["totalCollected"]!.GetValue<long>());

        daemon.Terminate();
        var stopped = await daemon.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.DoesNotContain(user.Password, stopped.Error + stopped.Output);
        node.AssertHoldsExactly([.. first, .. later]);
        Assert.Equal(0, Server.CountMessages(user.Name));
    }

    public void Dispose() => node.Dispose();

    // The account as `collector list --node --json` shows it once its alarm answers for it (bounded: a few slots).
    private static async Task<JsonNode> WaitForSleepAsync(string at)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            var list = await CtlClient.RunAsync(at, "collector", "list", "--node", "--json");
            Assert.True(list.ExitCode == 0, list.ToString());
            var account = JsonNode.Parse(list.Output)!.AsArray().Single(a => a!["id"]!.GetValue<string>() == "sleeper")!;
            if (account["sleeping"]!.GetValue<bool>())
            {
                return account;
            }

            await Task.Delay(200, limit.Token);
        }
    }
}
