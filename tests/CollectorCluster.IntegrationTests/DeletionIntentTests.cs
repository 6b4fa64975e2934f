using CollectorCluster.Testing;
using CollectorCluster.Testing.Network;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// The collector process dies (kill -9) after the server committed its deletions at QUIT and before it could record
/// them. The deletion intent it journalled before DELE makes the next sessions record those deletions as its own: Mirror
/// Mailbox never takes them for messages deleted on the server by someone else, so their local copies stay (without the
/// intent they were removed: the messages were gone on both sides).
/// </summary>
public sealed class DeletionIntentTests : IDisposable
{
    private const string User = "fred";
    private const string Password = "secret";
    private readonly NodeScenario _scenario = new("cc-intent-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Deletions_committed_at_quit_by_a_process_killed_before_recording_them_never_cost_the_local_copies()
    {
        var old = Enumerable.Range(0, 2).Select(i => ($"old{i}", MessageFactory.Create(1800 + (i * 40), 6100 + i).Content)).ToList();
        var recent = Enumerable.Range(0, 4).Select(i => ($"new{i}", MessageFactory.Create(1900 + (i * 40), 6200 + i).Content)).ToList();
        await using var server = new ScriptedPop3Mailbox();
        server.AddUser(User, Password, old);
        _scenario.WriteNodeFile(_scenario.Account("intent", "127.0.0.1", server.Port, User, Password,
            "leave-mail-on-server = on, delete-after-days = 2, mirror-mailbox = on, mirror-max-share = 0.5", checkEvery: "1h"));
        var options = _scenario.Load();
        var now = DateTimeOffset.UtcNow;
        var clock = new SteppedClock(now.AddDays(-2.5));

        // Two messages first seen 2.5 days ago (expired by now), four 1.5 days ago (not yet).
        await using (var node = await NodeScenario.StartAsync(options, Ct, environment => environment with { Clock = clock }))
        {
            Assert.Equal(2, (await NodeScenario.CollectAsync(node, options.Accounts[0], Ct)).Collected);
            server.Add(User, recent);
            clock.Set(now.AddDays(-1.5));
            Assert.Equal(4, (await NodeScenario.CollectAsync(node, options.Accounts[0], Ct)).Collected);
        }

        // collector once expires the two old ones; the server commits at QUIT, and the process dies right there.
        OnceResult killed;
        using (var collector = new CollectorProcess(["once", "--config", _scenario.NodeFile], _scenario.Root))
        {
            server.OnCommitted = () => collector.KillHardAsync();
            killed = await collector.WaitAsync(TimeSpan.FromMinutes(2), Ct);
            server.OnCommitted = null;
        }

        TestContext.Current.TestOutputHelper?.WriteLine(killed.ToString());

        Assert.Equal(2, server.CommittedDeletions);
        Assert.Empty(await _scenario.JournalAsync("intent", "MessagesDeletedOnServer.v1", Ct)); // never recorded by the dead process

        // Later sessions, hours apart: the absence of the two is our own deletion, recorded now; nothing is removed locally.
        clock.Set(now.AddHours(2));
        await using (var node = await NodeScenario.StartAsync(options, Ct, environment => environment with { Clock = clock }))
        {
            for (var session = 0; session < 3; session++)
            {
                var result = await NodeScenario.CollectAsync(node, options.Accounts[0], Ct);
                Assert.True(result.Succeeded, result.Detail);
                clock.Advance(TimeSpan.FromHours(2));
            }
        }

        Assert.Equal(6, _scenario.DeliveredCount());
        Assert.Empty(await _scenario.JournalAsync("intent", "LocalCopiesRemoved.v1", Ct));
        var deleted = Assert.Single(await _scenario.JournalAsync("intent", "MessagesDeletedOnServer.v1", Ct));
        Assert.Contains("Expired", deleted, StringComparison.Ordinal);
        Assert.Contains("old0", deleted, StringComparison.Ordinal);
        Assert.Contains("old1", deleted, StringComparison.Ordinal);
    }

    public void Dispose() => _scenario.Dispose();
}
