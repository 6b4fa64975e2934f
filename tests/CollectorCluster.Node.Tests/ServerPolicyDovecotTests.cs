using Akka.Actor;
using System.Net.Sockets;
using System.Text;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Core.Policy;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// The server policy against a real Dovecot where Dovecot can produce the reply: with <c>pop3_lock_session = yes</c>
/// a second login while a session holds the mailbox gets <c>-ERR [IN-USE]</c>. (Dovecot 2.3 never advertises
/// LOGIN-DELAY or EXPIRE, and has no setting for them: those are covered by the scripted server.)
/// </summary>
public sealed class ServerPolicyDovecotTests : IDisposable
{
    private static readonly TimeSpan AskTimeout = NodeScenario.AskTimeout;
    private readonly NodeScenario _scenario = new("cc-policy-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task In_use_mailbox_is_a_short_transient_retry_not_an_operator_case()
    {
        await using var server = await DovecotServer.StartAsync(new DovecotServerOptions { ExtraConfigLines = ["pop3_lock_session = yes"] }, Ct);
        var user = await server.CreateUserAsync("inuse", Ct);
        server.DropMessage(user.Name, MessageFactory.Create(1200, 1));

        // Another client holds the mailbox: logged in, never quits while the collector tries.
        using var holder = new TcpClient();
        await holder.ConnectAsync(server.Host, server.PlainPort, Ct);
        var stream = holder.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.StartsWith("+OK", await reader.ReadLineAsync(Ct));
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"USER {user.Name}\r\nPASS {user.Password}\r\n"), Ct);
        Assert.StartsWith("+OK", await reader.ReadLineAsync(Ct));
        Assert.StartsWith("+OK", await reader.ReadLineAsync(Ct));

        var (node, options) = await NodeScenario.StartAsync(_scenario.WriteNodeFile(_scenario.Account(server, user, checkEvery: "1h")), Ct);
        await using var running = node;
        var account = options.Accounts[0];
        await node.Accounts.Ask<AccountAck>(new ConfigureAccount(account), AskTimeout, Ct);

        var result = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
        Assert.False(result.Succeeded);
        Assert.Contains("[IN-USE]", result.Detail);

        var status = await node.Accounts.Ask<AccountStatus>(new GetAccountStatus(account.Id), AskTimeout, Ct);
        Assert.Equal(AccountHealth.RetryingTransient, status.Health);
        Assert.Contains("[IN-USE]", status.HealthReason);
        // Sooner than the back-off of a server fault (retry.base) and far sooner than check-every (1h), never at once.
        var finished = status.LastCollection!.FinishedAt;
        Assert.NotNull(status.NextDue);
        Assert.True(status.NextDue >= finished + (options.Tuning.RetryBase / 4), $"next due {status.NextDue:O} vs failure {finished:O}");
        Assert.True(status.NextDue < finished + options.Tuning.RetryBase, $"next due {status.NextDue:O} vs failure {finished:O}");

        // Once the other session quits, the collection goes through and the account is healthy again.
        await stream.WriteAsync("QUIT\r\n"u8.ToArray(), Ct);
        Assert.StartsWith("+OK", await reader.ReadLineAsync(Ct));
        var retried = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
        Assert.True(retried.Succeeded, retried.Detail);
        Assert.Equal(1, retried.Collected);
        Assert.Equal(AccountHealth.Healthy, (await node.Accounts.Ask<AccountStatus>(new GetAccountStatus(account.Id), AskTimeout, Ct)).Health);
    }

    public void Dispose() => _scenario.Dispose();
}
