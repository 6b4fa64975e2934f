using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// LOGIN-DELAY as advertised after login (Gmail: 300 s): no login sooner than last login + delay, not by the
/// schedule, not by a manual collect, not by a windowed round, and not after a restart. Dovecot 2.3 cannot advertise
/// LOGIN-DELAY (no setting; no such string in its pop3 binary), so a scripted server does.
/// </summary>
public sealed class LoginDelayTests : IDisposable
{
    private static readonly TimeSpan AskTimeout = NodeScenario.AskTimeout;
    private readonly NodeScenario _scenario = new("cc-logindelay-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_login_before_last_login_plus_login_delay_even_across_a_restart()
    {
        await using var server = new WindowedPop3Server(count: 15, window: 10) { LoginDelaySeconds = 3600 };
        var file = _scenario.WriteNodeFile(_scenario.Account("delayed", "127.0.0.1", server.Port, "fred", "pw", "leave-mail-on-server = on"), "round-min-listed = 10");
        var (first, options) = await NodeScenario.StartAsync(file, Ct);
        await using (first)
        {
            var account = options.Accounts[0];
            await first.Accounts.Ask<AccountAck>(new ConfigureAccount(account), AskTimeout, Ct);

            // The window held 10 of 15: the round would go on, but only after the LOGIN-DELAY; the caller hears now.
            var result = await first.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
            Assert.True(result.Succeeded, result.Detail);
            Assert.Equal(10, result.Collected);
            Assert.Contains("LOGIN-DELAY", result.Detail);

            var status = await first.Accounts.Ask<AccountStatus>(new GetAccountStatus(account.Id), AskTimeout, Ct);
            Assert.Equal(3600, status.LoginDelaySeconds);
            Assert.NotNull(status.LastLoginAt);
            Assert.True(status.NextDue >= status.LastLoginAt!.Value.AddSeconds(3600), $"next {status.NextDue:O}, last login {status.LastLoginAt:O}");
            Assert.Equal("0", status.Expire);
            Assert.Contains("EXPIRE 0", status.ExpireWarning);

            var early = await first.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
            Assert.False(early.Succeeded);
            Assert.Contains("LOGIN-DELAY allows the next login at", early.Detail);
            Assert.Equal(1, server.Sessions);
        }

        var (second, secondOptions) = await NodeScenario.StartAsync(file, Ct);
        await using (second)
        {
            await second.Accounts.Ask<AccountAck>(new ConfigureAccount(secondOptions.Accounts[0]), AskTimeout, Ct);
            var status = await second.Accounts.Ask<AccountStatus>(new GetAccountStatus("delayed"), AskTimeout, Ct);
            Assert.Equal(3600, status.LoginDelaySeconds);
            Assert.True(status.NextDue >= status.LastLoginAt!.Value.AddSeconds(3600), $"after restart: next {status.NextDue:O}, last login {status.LastLoginAt:O}");
            var early = await second.Accounts.Ask<CollectionResult>(new CollectNow("delayed"), AskTimeout, Ct);
            Assert.False(early.Succeeded);
            Assert.Equal(1, server.Sessions);
        }
    }

    public void Dispose() => _scenario.Dispose();
}
