using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>A server that lists only a window per session (Gmail) is emptied in one round, within max-sessions-per-round.</summary>
public sealed class CollectUntilEmptyTests : IDisposable
{
    private static readonly TimeSpan AskTimeout = NodeScenario.AskTimeout;
    private readonly NodeScenario _scenario = new("cc-window-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string NodeFile(int port, string nodeExtra = "") =>
        _scenario.WriteNodeFile(_scenario.Account("windowed", "127.0.0.1", port, "fred", "pw", checkEvery: "1h"), "round-min-listed = 10\n  " + nodeExtra);

    [Fact]
    public async Task Sessions_continue_while_each_collects_a_full_window()
    {
        await using var server = new WindowedPop3Server(count: 25, window: 10);
        var (node, options) = await NodeScenario.StartAsync(NodeFile(server.Port), Ct);
        await using var running = node;
        var account = options.Accounts[0];
        await node.Accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), AskTimeout, Ct);

        var result = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(25, result.Collected);
        Assert.Equal(25, _scenario.NewFiles().Length);
        // 10 + 10 + 5: the third listed fewer than round-min-listed (10), so it ends the round.
        Assert.Equal(3, server.Sessions);
        Assert.Contains("3 sessions this round", result.Detail);
    }

    [Fact]
    public async Task A_round_stops_at_max_sessions_per_round()
    {
        await using var server = new WindowedPop3Server(count: 25, window: 10);
        var (node, options) = await NodeScenario.StartAsync(NodeFile(server.Port, "max-sessions-per-round = 2"), Ct);
        await using var running = node;
        var account = options.Accounts[0];
        Assert.Equal(2, options.Tuning.MaxSessionsPerRound);
        await node.Accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), AskTimeout, Ct);

        var result = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);

        Assert.True(result.Succeeded, result.Detail);
        Assert.Equal(20, result.Collected);
        Assert.Equal(2, server.Sessions);

        // The next round picks up the rest.
        var next = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
        Assert.Equal(5, next.Collected);
        Assert.Equal(25, _scenario.NewFiles().Length);
    }

    public void Dispose() => _scenario.Dispose();
}
