using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// SIGTERM and SIGINT of <c>collector once</c> in the middle of a large collection (a real process, a real signal):
/// the session stops after the message in flight (or gives it up when it does not finish), what was delivered is in
/// the journal, the summary and an <c>interrupted:</c> line are printed, and the exit code is 128 + the signal.
/// A proxy holds back the server data after 60% of the mailbox, so the signal always lands mid-collection: while
/// messages stream, or once the stream has stalled mid-message (that message is then given up after the stop grace).
/// </summary>
public sealed class InterruptTests(DovecotFixture fixture) : IDisposable
{
    private const int MessageCount = 300;
    private const int SignalAfterFiles = 100;
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Theory]
    [InlineData("TERM", 143, true, false)]
    [InlineData("INT", 130, false, false)]
    [InlineData("TERM", 143, false, true)]
    public async Task A_signal_mid_collection_commits_what_was_delivered_prints_the_summary_and_exits(string signal, int expectedExit, bool leaveOnServer, bool stalled)
    {
        var user = await Server.CreateUserAsync("sig" + signal.ToLowerInvariant() + (stalled ? "stall" : ""), Ct);
        var sizes = MessageFactory.MixedSizes(MessageCount, 20 * 1024, 60 * 1024, seed: signal.Length);
        var messages = sizes.Select((s, i) => MessageFactory.Create(s, 20_000 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(user.Name, m));

        await using var proxy = new Pop3Proxy(Server.PlainPort);
        var budget = messages.Sum(m => (long)m.Size) * 3 / 5;
        proxy.PauseAfter(budget);
        node.WriteNodeFile(new AccountSpec("signalled", user, proxy.Port) { LeaveMailOnServer = leaveOnServer });

        OnceResult interrupted;
        using (var collector = node.StartProcess())
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(TimeSpan.FromSeconds(90));
            while (node.CountNew() < SignalAfterFiles || (stalled && proxy.ServerBytesForwarded < budget))
            {
                Assert.False(collector.HasExited, $"collector ended before {SignalAfterFiles} messages were delivered:\n" + collector.Output);
                await Task.Delay(10, limit.Token);
            }

            collector.Signal(signal);

            // Generous: the bound only keeps a hung process from hanging the suite (the old behaviour).
            interrupted = await collector.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        }

        TestContext.Current.TestOutputHelper?.WriteLine(interrupted.ToString());
        Assert.True(interrupted.ExitCode == expectedExit, interrupted.ToString());
        Assert.Contains("interrupted:", interrupted.Output, StringComparison.Ordinal);
        Assert.Contains("1 account(s):", interrupted.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("[INFO]", interrupted.Output, StringComparison.Ordinal);

        // Everything in the Maildir is in the journal, and the summary counts it.
        var delivered = node.CountNew();
        var journalled = await NodeScenario.JournalAsync($"Data Source={node.JournalFile}", "signalled", "MessageCollected.v3", Ct);
        Assert.Equal(delivered, journalled.Count);
        Assert.Equal(delivered, interrupted.Collected("signalled"));
        // Deletions of what was recorded are committed by the QUIT that ends a stopped session; a session given up mid-message
        // has no QUIT, so its deletions wait for the next session (the server rolled them back).
        Assert.Equal(leaveOnServer || stalled ? MessageCount : MessageCount - delivered, Server.CountMessages(user.Name));

        proxy.Resume();
        var rerun = await node.RunProcessAsync(Ct);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(MessageCount - delivered, rerun.Collected("signalled"));
        node.AssertHoldsExactly(messages);
    }

    public void Dispose() => node.Dispose();
}
