using Akka.Actor;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Core.Tokens;
using CollectorCluster.Node.CommandHost;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Tests;

/// <summary><c>tokens show</c> against a live tokens actor: node figures against the caps, and a row per server (text and JSON).</summary>
public sealed class TokensPaletteTests : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly string _dir = Directory.CreateTempSubdirectory("cc-tokens-palette-").FullName;
    private readonly ActorSystem _system = ActorSystem.Create("palette-tests");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        _system.Dispose();
        Directory.Delete(_dir, true);
    }

    [Fact]
    public async Task Show_reports_node_and_per_server_figures()
    {
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, "collector.accounts = [ { id = fred, pop3-server = \"pop.example.com\", pop3-account = fred, password = pw, mailbox = \"maildir:/srv/mail/fred\" } ]\ncollector { max-pop3-clients = 2, max-per-server = 1 }\n");
        var options = CollectorConfigLoader.Load(file, name => name == "HOME" ? "/home/op" : null);
        var tokens = _system.ActorOf(ConnectionTokens.Props(options.Tokens, TimeProvider.System));
        var leases = new ActorConnectionLeases();
        leases.Attach(_system, tokens);
        using var a = await leases.AcquireAsync("a", "POP.A.example", 0, Ct).WaitAsync(Wait, Ct);
        var waiting = leases.AcquireAsync("b", "pop.a.example", 0, Ct);
        using var c = await leases.AcquireAsync("c", "pop.c.example", 0, Ct).WaitAsync(Wait, Ct);
        while ((await tokens.Ask<TokenFigures>(GetTokenFigures.Instance, Wait, Ct)).Queued != 1)
        {
            await Task.Delay(10, Ct);
        }

        var palette = new TokensPalette();
        var response = await palette.HandleAsync(["show"], new CommandContext(_system, ActorRefs.Nobody, tokens, options));

        Assert.True(response.Ok);
        Assert.Equal("held: 2/2 (connecting 2/20), queued: 1", response.Lines![0]);
        Assert.Contains(response.Lines, l => l.StartsWith("pop.a.example | 1 | 1 | 1 | 1 | 0 |", StringComparison.Ordinal));
        Assert.Contains(response.Lines, l => l.StartsWith("pop.c.example | 1 | 1 | 0 | 1 | 0 |", StringComparison.Ordinal));
        var servers = response.Data!["servers"]!.AsArray();
        Assert.Equal(2, servers.Count);
        Assert.Equal("pop.a.example", servers[0]!["server"]!.GetValue<string>());
        Assert.Equal(1, servers[0]!["queued"]!.GetValue<int>());
        Assert.Equal(1, response.Data!["maxPerServer"]!.GetValue<int>());

        await Assert.ThrowsAsync<CommandException>(() => palette.HandleAsync(["drop"], new CommandContext(_system, ActorRefs.Nobody, tokens, options)));
        a.Dispose();
        using var b = await waiting.WaitAsync(Wait, Ct);
    }
}
