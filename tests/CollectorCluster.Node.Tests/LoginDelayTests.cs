using Akka.Actor;
using CollectorCluster.Actors.Accounts;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// LOGIN-DELAY as advertised after login (Gmail: 300 s): no login sooner than last login + delay, not by the
/// schedule, not by a manual collect, not by a windowed round, and not after a restart. Dovecot 2.3 cannot advertise
/// LOGIN-DELAY (no setting; no such string in its pop3 binary), so a scripted server does.
/// </summary>
public sealed class LoginDelayTests : IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMinutes(2);
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-logindelay-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_login_before_last_login_plus_login_delay_even_across_a_restart()
    {
        await using var server = new WindowedPop3Server(count: 15, window: 10) { LoginDelaySeconds = 3600 };
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, $$"""
            collector {
              journal.connection-string = "Data Source={{_dir}}/journal.db"
              round-min-listed = 10
              accounts = [ {
                id = delayed, pop3-server = "127.0.0.1", port = {{server.Port}}
                pop3-account = "fred", password = "pw", check-every = 10s
                leave-mail-on-server = on
                mailbox = "maildir:{{_dir}}/maildir"
              } ]
            }
            """);
        var (first, options) = await LocalNode.StartAsync(file, Ct);
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

        var (second, secondOptions) = await LocalNode.StartAsync(file, Ct);
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

    public void Dispose() => Directory.Delete(_dir, true);
}
