using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// kill -9 of the collector process in the middle of a large collection, then a normal run: every message
/// exactly once, byte for byte. A proxy caps the server data at 60% of the mailbox, so the collector can never
/// finish before the kill; the kill comes once a probe sees 150 files in new/ (past two 64-message batches).
/// </summary>
public sealed class KillTests(DovecotFixture fixture) : IDisposable
{
    private const int MessageCount = 400;
    private const int KillAfterFiles = 150;
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Hard_kill_mid_collection_then_rerun_delivers_every_message_exactly_once(bool leaveOnServer)
    {
        var user = await Server.CreateUserAsync(leaveOnServer ? "kill-leave" : "kill-delete", Ct);
        var sizes = MessageFactory.MixedSizes(MessageCount, 20 * 1024, 60 * 1024, seed: leaveOnServer ? 11 : 12);
        var messages = sizes.Select((s, i) => MessageFactory.Create(s, 10_000 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(user.Name, m));

        await using var proxy = new Pop3Proxy(Server.PlainPort);
        proxy.PauseAfter(messages.Sum(m => (long)m.Size) * 3 / 5);
        node.WriteNodeFile(new AccountSpec("killed", user, proxy.Port) { LeaveMailOnServer = leaveOnServer });

        int deliveredAtKill;
        using (var collector = node.StartProcess())
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(TimeSpan.FromSeconds(60));
            while (node.CountNew() < KillAfterFiles)
            {
                Assert.False(collector.HasExited, $"collector ended before {KillAfterFiles} messages were delivered:\n" + collector.Output);
                await Task.Delay(10, limit.Token);
            }

            Assert.False(collector.HasExited, "collector ended before it could be killed:\n" + collector.Output);
            await collector.KillHardAsync();
            deliveredAtKill = node.CountNew();
        }

        Assert.InRange(deliveredAtKill, KillAfterFiles, MessageCount - 1);
        // No QUIT reached the server: nothing was deleted there.
        Assert.Equal(MessageCount, Server.CountMessages(user.Name));
        proxy.Resume();

        var rerun = await node.RunProcessAsync(Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"delivered before kill -9: {deliveredAtKill}; rerun: {rerun.Output}");

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.InRange(rerun.Collected("killed"), MessageCount - deliveredAtKill, MessageCount);
        node.AssertHoldsExactly(messages);
        Assert.Equal(leaveOnServer ? MessageCount : 0, Server.CountMessages(user.Name));

        var last = await node.RunOnceAsync(Ct);
        Assert.True(last.ExitCode == 0, last.ToString());
        Assert.Equal(0, last.Collected("killed"));
        node.AssertHoldsExactly(messages);
    }

    public void Dispose() => node.Dispose();
}
