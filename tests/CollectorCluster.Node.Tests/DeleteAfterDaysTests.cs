using CollectorCluster.Actors.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;
using Microsoft.Extensions.Time.Testing;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// "Automatically delete after N days" on a real node and a real Dovecot, with a clock the test controls: the node's
/// <see cref="Actors.Collection.CollectionEnvironment.Clock"/> is a <see cref="FakeTimeProvider"/>, so days pass
/// without waiting and first-seen comes back from the journal after a restart.
/// </summary>
public sealed class DeleteAfterDaysTests(DovecotFixture fixture) : IDisposable
{
    private static readonly DateTimeOffset Day0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly NodeScenario _scenario = new("cc-expire-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Collected_on_day_0_kept_before_N_days_deleted_after_N_days_and_first_seen_survives_a_restart()
    {
        var user = await fixture.Server.CreateUserAsync("expire", Ct);
        var messages = Enumerable.Range(0, 3).Select(i => MessageFactory.Create(1200 + (i * 100), 900 + i)).ToList();
        messages.ForEach(m => fixture.Server.DropMessage(user.Name, m));
        _scenario.WriteNodeFile(_scenario.Account(fixture.Server, user, "leave-mail-on-server = on, delete-after-days = 3"));
        var options = _scenario.Load();
        var clock = new FakeTimeProvider(Day0);

        // Day 0: collected and left on the server. Day 2 (23 h short of 3 days): still nothing deleted.
        await using (var node = await StartAsync(options, clock))
        {
            var day0 = await CollectAsync(node, options);
            Assert.True(day0.Succeeded, day0.Detail);
            Assert.Equal(3, day0.Collected);
            Assert.Equal(0, day0.Deleted);
            Assert.Equal(3, fixture.Server.CountMessages(user.Name));

            clock.Advance(TimeSpan.FromDays(3) - TimeSpan.FromHours(1));
            var day2 = await CollectAsync(node, options);
            Assert.True(day2.Succeeded, day2.Detail);
            Assert.Equal(0, day2.Collected);
            Assert.Equal(0, day2.Deleted);
            Assert.Equal(3, fixture.Server.CountMessages(user.Name));
        }

        Assert.Empty(await DeletionEventsAsync(user.Name));

        // A restart: first-seen comes back from the journal (not from the restart's clock reading), so one more
        // hour makes the messages exactly 3 days old and they go.
        clock.Advance(TimeSpan.FromHours(1));
        await using (var node = await StartAsync(options, clock))
        {
            var day3 = await CollectAsync(node, options);
            Assert.True(day3.Succeeded, day3.Detail);
            Assert.Equal(0, day3.Collected);
            Assert.Equal(3, day3.Deleted);
        }

        Assert.Equal(0, fixture.Server.CountMessages(user.Name));
        // The server committed the three DELEs at QUIT (Dovecot logs del=deleted/listed on logout) ...
        await fixture.Server.WaitForLogLinesAsync($"pop3({user.Name})", 3, cancellationToken: Ct);
        var logouts = (await fixture.Server.ReadLogAsync(Ct)).Split('\n').Where(l => l.Contains($"pop3({user.Name})", StringComparison.Ordinal) && l.Contains("Logged out", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, logouts.Count);
        Assert.Contains("del=0/3", logouts[0], StringComparison.Ordinal);
        Assert.Contains("del=0/3", logouts[1], StringComparison.Ordinal);
        Assert.Contains("del=3/3", logouts[2], StringComparison.Ordinal);
        // ... and the journal records them once, as expired, stamped with the session's (fake) clock after QUIT.
        var deletions = Assert.Single(await DeletionEventsAsync(user.Name));
        Assert.Contains("\"Expired\"", deletions, StringComparison.Ordinal);
        Assert.Contains("2026-03-04T09:00:00", deletions, StringComparison.Ordinal);
        Assert.Equal(3, _scenario.NewFiles().Length);
    }

    public void Dispose() => _scenario.Dispose();

    private static Task<CollectorNode> StartAsync(CollectorOptions options, TimeProvider clock) =>
        NodeScenario.StartAsync(options, Ct, environment => environment with { Clock = clock });

    private static Task<CollectionResult> CollectAsync(CollectorNode node, CollectorOptions options) => NodeScenario.CollectAsync(node, options.Accounts[0], Ct);

    /// <summary>The journal's MessagesDeletedOnServer payloads for the account, as JSON text, in order.</summary>
    private Task<List<string>> DeletionEventsAsync(string accountId) => _scenario.JournalAsync(accountId, "MessagesDeletedOnServer.v1", Ct);
}
