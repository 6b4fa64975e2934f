using CollectorCluster.Node.Commands;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// What <c>collector once</c> (the built process) prints and returns when a session fails after delivering, or when the
/// server's LOGIN-DELAY puts an account off: counts of what was delivered and journalled, "deferred" rather than FAILED,
/// and the documented exit codes; standard output holds the summary only.
/// </summary>
public sealed class OnceOutcomeTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_session_that_fails_after_delivering_counts_what_it_delivered_and_exits_1()
    {
        var user = new TestMailUser("dropped", "secret");
        await using var server = new ScriptedPop3Mailbox();
        server.AddUser(user.Name, user.Password, Enumerable.Range(0, 30).Select(i => ($"k{i:D2}", MessageFactory.Create(1500 + (i * 11), 5100 + i).Content)));
        server.DropAfterRetrievals = 19;
        node.WriteNodeFile(new AccountSpec("dropped", user, server.Port) { LeaveMailOnServer = true });

        var run = await node.RunProcessAsync(Ct);

        Assert.True(run.ExitCode == OnceCommand.ExitFailed, run.ToString());
        Assert.Contains("dropped dropped@127.0.0.1 FAILED: collected 19 ", run.Output, StringComparison.Ordinal);
        Assert.Equal(19, node.CountNew());
        AssertOnlySummaryOnStandardOutput(run);
    }

    [Fact]
    public async Task An_account_put_off_by_login_delay_is_deferred_not_failed_and_the_run_exits_0()
    {
        var user = new TestMailUser("delayed", "secret");
        await using var server = new ScriptedPop3Mailbox { LoginDelaySeconds = 3600 };
        server.AddUser(user.Name, user.Password, [("k1", MessageFactory.Create(1500, 5200).Content)]);
        var other = await fixture.Server.CreateUserAsync("notdelayed", Ct);
        node.WriteNodeFile(new AccountSpec("delayed", user, server.Port) { LeaveMailOnServer = true }, new AccountSpec("plain", other, fixture.Server.PlainPort));

        var first = await node.RunProcessAsync(Ct);
        Assert.True(first.ExitCode == OnceCommand.ExitOk, first.ToString());

        var second = await node.RunProcessAsync(Ct);
        Assert.True(second.ExitCode == OnceCommand.ExitOk, second.ToString());
        Assert.Contains("delayed delayed@127.0.0.1 deferred: collected 0 ", second.Output, StringComparison.Ordinal);
        Assert.Contains("LOGIN-DELAY", second.Output, StringComparison.Ordinal);
        Assert.Contains("2 account(s): 1 succeeded, 0 failed, 1 deferred;", second.Output, StringComparison.Ordinal);
        Assert.Equal(1, server.Logins); // the second run did not log in
        AssertOnlySummaryOnStandardOutput(second);
    }

    public void Dispose() => node.Dispose();

    // Every stdout line is an account line or the total: no log line, Akka's or ours.
    private static void AssertOnlySummaryOnStandardOutput(OnceResult run)
    {
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(lines, l => Assert.Matches(@"^(\S+ \S+ (ok|FAILED|deferred|interrupted): collected \d+ |\d+ account\(s\): |interrupted: )", l));
        Assert.DoesNotContain("[INFO]", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("[WARNING]", run.Output, StringComparison.Ordinal);
    }
}
