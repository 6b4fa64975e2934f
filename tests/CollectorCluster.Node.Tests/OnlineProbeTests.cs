using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>collector.online: the configuration, and the TCP probe flipping a real node online so a waiting account collects.</summary>
public sealed class OnlineProbeTests(DovecotFixture fixture) : IDisposable
{
    private static readonly TimeSpan AskTimeout = NodeScenario.AskTimeout;
    private readonly NodeScenario _scenario = new("cc-probe-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_probe_sets_the_node_online_when_its_port_answers_and_the_waiting_account_collects()
    {
        var user = await fixture.Server.CreateUserAsync("probe", Ct);
        fixture.Server.DropMessage(user.Name, MessageFactory.Create(1500, 1800));
        var probePort = PortAllocator.Reserve();
        _scenario.WriteNodeFile(
            _scenario.Account(fixture.Server, user, "leave-mail-on-server = on, local-area-network = off"),
            $"online {{ initial = offline, probe {{ host = \"127.0.0.1\", port = {probePort}, interval = 1s }} }}");
        var options = Load(File.ReadAllText(_scenario.NodeFile));

        await using var node = await NodeScenario.StartAsync(options, Ct);
        Assert.False(node.Environment.Online.IsOnline);
        await node.Accounts.Ask<AccountAck>(new ConfigureAccount(options.Accounts[0], Scheduled: false), AskTimeout, Ct);
        var waiting = node.Accounts.Ask<CollectionResult>(new CollectNow(user.Name), AskTimeout, Ct);

        // Nothing answers on the probe port: the node stays offline and the account waits.
        Assert.False(await OnlineProbe.ProbeOnceAsync("127.0.0.1", probePort, TimeSpan.FromSeconds(5), Ct));
        Assert.Equal(0, await fixture.Server.CountLoginsAsync(user.Name, Ct));

        // The probed service comes up: the probe sets the node online and the account collects.
        var listener = new TcpListener(IPAddress.Loopback, probePort);
        listener.Start();
        try
        {
            await node.Environment.Online.WaitOnlineAsync(Ct);
            var result = await waiting;
            Assert.True(result.Succeeded, result.Detail);
            Assert.Equal(1, result.Collected);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public void Defaults_are_online_without_a_probe()
    {
        var o = Load("collector { }").Online;
        Assert.Equal(new OnlineOptions(true, null, 0, TimeSpan.FromMinutes(1)), o);
    }

    [Theory]
    [InlineData("collector.online.initial = maybe", "collector.online.initial: 'maybe' is not online or offline")]
    [InlineData("collector.online.probe { host = \"gw\", port = 0 }", "collector.online.probe.port: 0 is not a TCP port")]
    [InlineData("collector.online.probe { port = 53 }", "collector.online.probe.host: is required")]
    [InlineData("collector.online.probe { host = \"gw\", port = 53, interval = 100ms }", "collector.online.probe.interval:")]
    [InlineData("collector.online.probe { host = \"gw\", port = 53, command = \"ping\" }", "collector.online.probe.command: unknown key")]
    [InlineData("collector.online { initial = online, mode = auto }", "collector.online.mode: unknown key")]
    public void Bad_online_settings_name_the_key(string hocon, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(hocon));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _scenario.Dispose();

    private CollectorOptions Load(string hocon)
    {
        var file = _scenario.NodeFile;
        // An account, because a node file without one is refused on its own account.
        File.WriteAllText(file, hocon.Contains("accounts", StringComparison.Ordinal) ? hocon : hocon + """

            collector.accounts = [ { id = a, pop3-server = "pop.example.com", pop3-account = "a", password = "pw", mailbox = "maildir:/srv/mail/a" } ]
            """);
        return CollectorConfigLoader.Load(file, _ => null);
    }
}
