using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Node.CommandHost;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>local-area-network = off on a real node and a real Dovecot: offline holds such accounts back, LAN accounts ignore it.</summary>
public sealed class OnlineConditionTests(DovecotFixture fixture) : IDisposable
{
    private static readonly TimeSpan AskTimeout = NodeScenario.AskTimeout;
    private readonly NodeScenario _scenario = new("cc-online-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Offline_holds_back_the_non_lan_account_the_lan_account_collects_and_going_online_releases_it()
    {
        var lan = await fixture.Server.CreateUserAsync("lan", Ct);
        var dialup = await fixture.Server.CreateUserAsync("dialup", Ct);
        fixture.Server.DropMessage(lan.Name, MessageFactory.Create(1500, 1700));
        fixture.Server.DropMessage(dialup.Name, MessageFactory.Create(1600, 1701));
        var options = Options(lan, dialup);
        var online = new NodeOnline(false);
        await using var node = await NodeScenario.StartAsync(options, Ct, environment => environment with { Online = online });
        foreach (var account in options.Accounts)
        {
            await node.Accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), AskTimeout, Ct);
        }

        // Offline: the non-LAN account's session waits for the node to go online ...
        var dialupResult = node.Accounts.Ask<CollectionResult>(new CollectNow(dialup.Name), AskTimeout, Ct);
        // ... while the LAN account collects regardless.
        var lanResult = await node.Accounts.Ask<CollectionResult>(new CollectNow(lan.Name), AskTimeout, Ct);
        Assert.True(lanResult.Succeeded, lanResult.Detail);
        Assert.Equal(1, lanResult.Collected);
        Assert.Equal(0, await fixture.Server.CountLoginsAsync(dialup.Name, Ct));
        Assert.False(dialupResult.IsCompleted);

        // The operator's command sets the node online: the waiting account collects.
        var palette = new NodePalette(online);
        var context = new CommandContext(node.System, node.Accounts, ActorRefs.Nobody, options);
        Assert.Equal("node is offline", (await palette.HandleAsync(["show"], context)).Lines[0]);
        Assert.StartsWith("node is now online", (await palette.HandleAsync(["online"], context)).Lines[0], StringComparison.Ordinal);
        var released = await dialupResult;
        Assert.True(released.Succeeded, released.Detail);
        Assert.Equal(1, released.Collected);
        Assert.Equal("node is online", (await palette.HandleAsync(["show"], context)).Lines[0]);

        // Online: both collect at once (nothing new, but both log in).
        fixture.Server.DropMessage(dialup.Name, MessageFactory.Create(1700, 1702));
        var again = await node.Accounts.Ask<CollectionResult>(new CollectNow(dialup.Name), AskTimeout, Ct);
        Assert.Equal(1, again.Collected);

        // Offline again is reported; a second "offline" says it already was.
        Assert.StartsWith("node is now offline", (await palette.HandleAsync(["offline"], context)).Lines[0], StringComparison.Ordinal);
        Assert.Equal("node was already offline", (await palette.HandleAsync(["offline"], context)).Lines[0]);
        Assert.False(online.IsOnline);
        await Assert.ThrowsAsync<CommandException>(() => palette.HandleAsync(["sideways"], context));
        online.Set(true, DateTimeOffset.UtcNow); // let the node stop without a waiting session
    }

    public void Dispose() => _scenario.Dispose();

    private CollectorOptions Options(TestMailUser lan, TestMailUser dialup)
    {
        string Account(TestMailUser user, string extra) =>
            _scenario.Account(fixture.Server, user, "leave-mail-on-server = on, " + extra, mailbox: Path.Combine(_scenario.Root, user.Name));
        _scenario.WriteNodeFile([Account(lan, "local-area-network = on"), Account(dialup, "local-area-network = off")]);
        return _scenario.Load();
    }
}
