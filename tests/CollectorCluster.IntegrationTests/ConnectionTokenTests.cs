using System.Globalization;
using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// The connection tokens against real Dovecot: fifty accounts on one server, max-per-server = 2, and a counting
/// proxy in front of the server proving that no more than two sessions were ever open at once, yet every account
/// was collected.
/// </summary>
public sealed class ConnectionTokenTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Fact]
    public async Task Fifty_accounts_on_one_server_never_exceed_the_per_server_cap()
    {
        const int accounts = 50;
        await using var proxy = new CountingProxy(Server.PlainPort);
        var specs = new List<AccountSpec>();
        var messages = new List<TestMessage>();
        for (var i = 0; i < accounts; i++)
        {
            var user = await Server.CreateUserAsync("tokens" + i.ToString("D2", CultureInfo.InvariantCulture), Ct);
            var message = MessageFactory.Create(2048 + (i * 7), 900 + i);
            Server.DropMessage(user.Name, message);
            messages.Add(message);
            specs.Add(new AccountSpec("tok" + i.ToString("D2", CultureInfo.InvariantCulture), user, proxy.Port));
        }

        node.WriteNodeFile(specs.ToArray());
        File.AppendAllText(node.NodeFile, "collector { max-pop3-clients = 3, max-per-server = 2 }\n");

        var result = await node.RunOnceAsync(Ct);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var spec in specs)
        {
            Assert.Equal(1, result.Collected(spec.Id));
        }

        node.AssertHoldsExactly(messages);
        Assert.True(proxy.Total >= accounts, $"only {proxy.Total} connections for {accounts} accounts");
        Assert.InRange(proxy.MaxOpen, 1, 2);
    }

    public void Dispose() => node.Dispose();
}
