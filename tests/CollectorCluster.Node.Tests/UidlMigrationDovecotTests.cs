using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// A real UIDL migration: Dovecot's <c>pop3_uidl_format</c> changes between sessions (config rewritten, Dovecot
/// reloaded), so every UIDL changes while the mailbox stays the same. The collector must re-key, not re-download.
/// </summary>
public sealed class UidlMigrationDovecotTests : IDisposable
{
    private static readonly TimeSpan AskTimeout = NodeScenario.AskTimeout;
    private readonly NodeScenario _scenario = new("cc-migrate-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Changed_uidl_format_is_rekeyed_not_collected_again()
    {
        await using var server = await DovecotServer.StartAsync(cancellationToken: Ct);
        var user = await server.CreateUserAsync("migrate", Ct);
        for (var i = 0; i < 8; i++)
        {
            server.DropMessage(user.Name, MessageFactory.Create(1500 + (i * 100), 900 + i));
        }

        var (node, options) = await NodeScenario.StartAsync(_scenario.WriteNodeFile(_scenario.Account(server, user, "leave-mail-on-server = on", checkEvery: "1h")), Ct);
        await using var running = node;
        var account = options.Accounts[0];
        await node.Accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), AskTimeout, Ct);
        var first = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
        Assert.True(first.Succeeded, first.Detail);
        Assert.Equal(8, first.Collected);
        var before = await node.Accounts.Ask<MessageLines>(new GetMessageLines(account.Id), AskTimeout, Ct);

        // The "provider migration": a different UIDL scheme for the same messages.
        var config = await File.ReadAllTextAsync(server.ConfigPath, Ct);
        Assert.Contains("pop3_uidl_format = %08Xu%08Xv", config);
        await File.WriteAllTextAsync(server.ConfigPath, config.Replace("pop3_uidl_format = %08Xu%08Xv", "pop3_uidl_format = moved-%u-%v", StringComparison.Ordinal), Ct);
        var reload = await ProcessRunner.RunAsync("doveadm", ["-c", server.ConfigPath, "reload"], TimeSpan.FromMinutes(1), Ct);
        Assert.Equal(0, reload.ExitCode);

        // The reload is signalled, not awaited: probe until a fresh login lists the new UIDLs.
        while (!(await FirstUidlAsync(server, user)).StartsWith("moved-", StringComparison.Ordinal))
        {
            Ct.ThrowIfCancellationRequested();
        }

        var second = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
        Assert.True(second.Succeeded, second.Detail);
        Assert.Equal(0, second.Collected);
        Assert.Contains("re-keyed", second.Detail);
        Assert.Equal(8, _scenario.NewFiles().Length);

        var after = await node.Accounts.Ask<MessageLines>(new GetMessageLines(account.Id), AskTimeout, Ct);
        Assert.Equal(8, after.Lines.Count);
        Assert.All(after.Lines, l => Assert.StartsWith("moved-", l.Uidl));
        // Each message keeps its first sighting across the re-key.
        Assert.Equal(before.Lines.Select(l => l.FirstSeen).Order(), after.Lines.Select(l => l.FirstSeen).Order());

        // And the next session sees nothing new.
        var third = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
        Assert.Equal(0, third.Collected);
    }

    public void Dispose() => _scenario.Dispose();

    private static async Task<string> FirstUidlAsync(DovecotServer server, TestMailUser user)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(server.Host, server.PlainPort, Ct);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        await reader.ReadLineAsync(Ct);
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes($"USER {user.Name}\r\nPASS {user.Password}\r\nUIDL 1\r\nQUIT\r\n"), Ct);
        await reader.ReadLineAsync(Ct);
        await reader.ReadLineAsync(Ct);
        var uidl = await reader.ReadLineAsync(Ct) ?? "";
        return uidl.Split(' ').Last();
    }
}
