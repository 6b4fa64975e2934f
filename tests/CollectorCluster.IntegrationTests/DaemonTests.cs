using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// <c>collector run</c> as a real process: a single-node cluster hosts the account through sharding, the
/// schedule collects new mail without being asked, and SIGTERM stops the node cleanly.
/// </summary>
public sealed class DaemonTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Fact]
    public async Task Daemon_collects_on_schedule_and_stops_cleanly_on_sigterm()
    {
        var user = await Server.CreateUserAsync("daemon", Ct);
        var first = Enumerable.Range(0, 5).Select(i => MessageFactory.Create(2000 + (i * 500), 900 + i)).ToList();
        first.ForEach(m => Server.DropMessage(user.Name, m));
        node.WriteNodeFile(new AccountSpec("daemon", user, Server.PlainPort) { LeaveMailOnServer = true, Extra = "      check-every = 10s" });

        using var daemon = node.StartProcess("run", "--config", node.NodeFile);
        await node.WaitForFilesAsync(daemon, 5);

        // Nobody asks again: the account's own schedule picks up what arrives next.
        var later = Enumerable.Range(0, 3).Select(i => MessageFactory.Create(3000 + (i * 500), 950 + i)).ToList();
        later.ForEach(m => Server.DropMessage(user.Name, m));
        await node.WaitForFilesAsync(daemon, 8);

        daemon.Terminate();
        var stopped = await daemon.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        Assert.Contains("up with 1 account(s)", stopped.Error);
        Assert.Contains("Account daemon (", stopped.Error);
        Assert.DoesNotContain(user.Password, stopped.Error + stopped.Output);
        node.AssertHoldsExactly([.. first, .. later]);
        Assert.Equal(8, Server.CountMessages(user.Name));
    }

    public void Dispose() => node.Dispose();
}
