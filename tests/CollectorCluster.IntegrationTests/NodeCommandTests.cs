using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// <c>collectorctl node show|online|offline</c> against a real <c>collector run</c> process that starts offline: the
/// account with local-area-network = off collects only once the operator sets the node online.
/// </summary>
public sealed class NodeCommandTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<OnceResult> CtlAsync(params string[] arguments) => CtlClient.RunAsync(arguments);

    [Fact]
    public async Task Collectorctl_shows_and_sets_the_online_condition_and_the_held_back_account_collects_when_online()
    {
        var user = await fixture.Server.CreateUserAsync("ctlnode", Ct);
        var message = MessageFactory.Create(2100, 1900);
        fixture.Server.DropMessage(user.Name, message);
        node.WriteNodeFile(new AccountSpec("dialup", user, fixture.Server.PlainPort)
        {
            LeaveMailOnServer = true,
            Extra = "      check-every = 24h\n      local-area-network = off",
        });
        var at = node.ServeCommands("collector.online.initial = offline");

        using var daemon = node.StartProcess("run", "--config", node.NodeFile);
        await WaitForCommandHostAsync(daemon, at);

        var show = await CtlAsync(at, "node", "show");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("node is offline", show.Output, StringComparison.Ordinal);
        Assert.Contains("1 account(s) with local-area-network = off", show.Output, StringComparison.Ordinal);
        Assert.Equal(0, await fixture.Server.CountLoginsAsync(user.Name, Ct));

        var online = await CtlAsync(at, "node", "online");
        Assert.True(online.ExitCode == 0, online.ToString());
        Assert.Contains("node is now online", online.Output, StringComparison.Ordinal);
        var collect = await CtlAsync(at, "collector", "collect", "dialup");
        Assert.True(collect.ExitCode == 0, collect.ToString());
        Assert.Contains(": ok, listed 1", collect.Output, StringComparison.Ordinal);
        node.AssertHoldsExactly([message]);

        Assert.Contains("node is now offline", (await CtlAsync(at, "node", "offline")).Output, StringComparison.Ordinal);
        Assert.Contains("node is offline", (await CtlAsync(at, "node", "show")).Output, StringComparison.Ordinal);
        var bad = await CtlAsync(at, "node", "sideways");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("unknown command 'node sideways'", bad.Error, StringComparison.Ordinal);
        Assert.Contains("node online", (await CtlAsync(at, "help")).Output, StringComparison.Ordinal);

        daemon.Terminate();
        var stopped = await daemon.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
    }

    public void Dispose() => node.Dispose();

    /// <summary>Probes with <c>node show</c> until the node's command host answers.</summary>
    private static async Task WaitForCommandHostAsync(CollectorProcess daemon, string at)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            Assert.False(daemon.HasExited, $"collector run ended early:\n{daemon.Output}");
            var probe = await CtlAsync(at, "cluster", "show");
            if (probe.ExitCode == 0 && probe.Output.Contains("| Up |", StringComparison.Ordinal))
            {
                return;
            }

            Assert.True(probe.ExitCode == 3, probe.ToString());
            await Task.Delay(100, limit.Token);
        }
    }
}
