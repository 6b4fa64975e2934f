using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Core.Policy;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>The account actor on a real node and a real Dovecot: back-off, recovery from journal and snapshots.</summary>
public sealed class AccountActorTests(DovecotFixture fixture) : IDisposable
{
    private static readonly TimeSpan AskTimeout = NodeScenario.AskTimeout;
    private readonly NodeScenario _scenario = new("cc-actor-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string NodeFile(TestMailUser user, string password, string extra = "", string nodeExtra = "") =>
        _scenario.WriteNodeFile(_scenario.Account(fixture.Server, user, extra, password: password), nodeExtra);

    [Fact]
    public async Task Wrong_password_fails_once_with_the_servers_words_and_then_needs_an_operator()
    {
        var user = await fixture.Server.CreateUserAsync("wrongpw", Ct);
        var (node, options) = await NodeScenario.StartAsync(NodeFile(user, "not-the-password"), Ct);
        await using var running = node;
        var account = options.Accounts[0];

        await node.Accounts.Ask<AccountAck>(new ConfigureAccount(account), AskTimeout, Ct);
        var result = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);

        Assert.False(result.Succeeded);
        Assert.Contains("Authentication failed", result.Detail);
        Assert.Contains(user.Name, result.Detail);
        Assert.DoesNotContain("not-the-password", result.Detail);

        var status = await node.Accounts.Ask<AccountStatus>(new GetAccountStatus(account.Id), AskTimeout, Ct);
        Assert.Equal(1, status.ConsecutiveFailures);
        Assert.False(status.LastCollection!.Succeeded);
        // A refused password is never retried by itself: nothing is scheduled until an operator acts.
        Assert.Equal(AccountHealth.NeedsOperator, status.Health);
        Assert.Contains("[AUTH]", status.HealthReason);
        Assert.Contains("collector resume", status.HealthReason);
        Assert.Null(status.NextDue);
        await fixture.Server.WaitForLogLinesAsync($"auth failed, 1 attempts", 1, cancellationToken: Ct);
        Assert.Equal(1, await CountAuthFailuresAsync(user.Name));

        // Not by a plain collect either: it is refused without a connection.
        var again = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
        Assert.False(again.Succeeded);
        Assert.StartsWith("needs operator:", again.Detail);
        Assert.Equal(TimeSpan.Zero, again.Duration);

        // A changed configuration (the right password) clears it, and the next collection logs in.
        await node.Accounts.Ask<AccountAck>(new ConfigureAccount(account with { Password = new CollectorCluster.Core.Accounts.Secret(user.Password) }), AskTimeout, Ct);
        var healed = await node.Accounts.Ask<AccountStatus>(new GetAccountStatus(account.Id), AskTimeout, Ct);
        Assert.Equal(AccountHealth.Healthy, healed.Health);
        Assert.NotNull(healed.NextDue);
        var fixedResult = await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
        Assert.True(fixedResult.Succeeded, fixedResult.Detail);
        Assert.Equal(1, await CountAuthFailuresAsync(user.Name));
    }

    [Fact]
    public async Task Needs_operator_survives_a_restart_and_collector_resume_clears_it()
    {
        var user = await fixture.Server.CreateUserAsync("resume", Ct);
        var file = NodeFile(user, "not-the-password");
        string accountId;
        var (first, firstOptions) = await NodeScenario.StartAsync(file, Ct);
        await using (first)
        {
            var account = firstOptions.Accounts[0];
            accountId = account.Id;
            await first.Accounts.Ask<AccountAck>(new ConfigureAccount(account), AskTimeout, Ct);
            var result = await first.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
            Assert.False(result.Succeeded);
        }

        var (second, secondOptions) = await NodeScenario.StartAsync(file, Ct);
        await using (second)
        {
            await second.Accounts.Ask<AccountAck>(new ConfigureAccount(secondOptions.Accounts[0]), AskTimeout, Ct);
            var recovered = await second.Accounts.Ask<AccountStatus>(new GetAccountStatus(accountId), AskTimeout, Ct);
            Assert.Equal(AccountHealth.NeedsOperator, recovered.Health);
            Assert.Null(recovered.NextDue);

            var resumed = await second.Accounts.Ask<ResumeResult>(new ResumeAccount(accountId), AskTimeout, Ct);
            Assert.Equal(AccountHealth.NeedsOperator, resumed.PreviousHealth);
            var status = await second.Accounts.Ask<AccountStatus>(new GetAccountStatus(accountId), AskTimeout, Ct);
            Assert.Equal(AccountHealth.Healthy, status.Health);
            Assert.NotNull(status.NextDue);

            var idle = await second.Accounts.Ask<ResumeResult>(new ResumeAccount(accountId), AskTimeout, Ct);
            Assert.Equal(AccountHealth.Healthy, idle.PreviousHealth);
        }
    }

    [Theory]
    [InlineData("password")]
    [InlineData("certificate")]
    public async Task A_configuration_fixed_while_the_node_was_down_clears_needs_operator_and_unchanged_settings_do_not(string fix)
    {
        var user = await fixture.Server.CreateUserAsync("fix" + fix[..4], Ct);
        fixture.Server.DropMessage(user.Name, MessageFactory.Create(2000, 4242));
        string NodeFileWith(bool fixedSettings) => fix == "password"
            ? NodeFile(user, fixedSettings ? user.Password : "not-the-password")
            : _scenario.WriteNodeFile(_scenario.Account(
                fixture.Server, user, "ssl = implicit" + (fixedSettings ? $", certificate-sha256 = \"{fixture.Server.Certificate.Sha256Fingerprint}\"" : ""), port: fixture.Server.TlsPort));

        // The first process: the server refuses; NeedsOperator is journalled with the digest of these settings.
        var (broken, brokenOptions) = await NodeScenario.StartAsync(NodeFileWith(fixedSettings: false), Ct);
        await using (broken)
        {
            var failed = await NodeScenario.CollectAsync(broken, brokenOptions.Accounts[0], Ct);
            Assert.False(failed.Succeeded);
            Assert.Equal(AccountHealth.NeedsOperator, (await broken.Accounts.Ask<AccountStatus>(new GetAccountStatus(user.Name), AskTimeout, Ct)).Health);
        }

        // A second process with the same settings: still refused, without a connection.
        var (same, sameOptions) = await NodeScenario.StartAsync(NodeFileWith(fixedSettings: false), Ct);
        await using (same)
        {
            var refused = await NodeScenario.CollectAsync(same, sameOptions.Accounts[0], Ct);
            Assert.StartsWith("needs operator:", refused.Detail, StringComparison.Ordinal);
        }

        // A third with the operator's fix: the changed digest heals the account, and it collects.
        var (fixedNode, fixedOptions) = await NodeScenario.StartAsync(NodeFileWith(fixedSettings: true), Ct);
        await using (fixedNode)
        {
            var collected = await NodeScenario.CollectAsync(fixedNode, fixedOptions.Accounts[0], Ct);
            Assert.True(collected.Succeeded, collected.Detail);
            Assert.Equal(1, collected.Collected);
            Assert.Equal(AccountHealth.Healthy, (await fixedNode.Accounts.Ask<AccountStatus>(new GetAccountStatus(user.Name), AskTimeout, Ct)).Health);
        }

        // The journal holds the digest, never the settings' secrets.
        var health = await _scenario.JournalAsync(user.Name, "AccountHealthChanged.v2", Ct);
        Assert.Contains(health, h => h.Contains("hmac-sha256:", StringComparison.Ordinal));
        Assert.DoesNotContain(health, h => h.Contains(user.Password, StringComparison.Ordinal) || h.Contains("not-the-password", StringComparison.Ordinal));
    }

    [Fact]
    public async Task State_survives_a_restart_through_journal_and_snapshots()
    {
        var user = await fixture.Server.CreateUserAsync("restart", Ct);
        var messages = Enumerable.Range(0, 12).Select(i => MessageFactory.Create(1500 + (i * 300), 700 + i)).ToList();
        foreach (var message in messages)
        {
            fixture.Server.DropMessage(user.Name, message);
        }

        var file = NodeFile(user, user.Password, "leave-mail-on-server = on", "snapshot-every = 5");
        string accountId;
        var (first, firstOptions) = await NodeScenario.StartAsync(file, Ct);
        await using (first)
        {
            var account = firstOptions.Accounts[0];
            accountId = account.Id;
            await first.Accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), AskTimeout, Ct);
            var result = await first.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
            Assert.True(result.Succeeded, result.Detail);
            Assert.Equal(12, result.Collected);

            // The snapshot at the end of the session is confirmed, and the journal deletions it starts follow
            // asynchronously: they are awaited while the node runs (a node stopped in between would leave them to its
            // next snapshot, which covers them again).
            var (events, snapshot) = await CoveredEventsDeletedAsync(accountId);
            Assert.True(snapshot > 5, $"snapshot at {snapshot}");
            Assert.All(events, e => Assert.True(e > snapshot, $"event {e} is covered by the snapshot at {snapshot} and still there"));
        }

        var (second, secondOptions) = await NodeScenario.StartAsync(file, Ct);
        await using (second)
        {
            var recovered = await second.Accounts.Ask<AccountStatus>(new GetAccountStatus(accountId), AskTimeout, Ct);
            Assert.Equal(12, recovered.TotalCollected);
            Assert.Equal(12, recovered.CollectedOnServer);
            Assert.Equal(messages.Sum(m => (long)m.Size), recovered.TotalBytes);
            Assert.True(recovered.LastCollection!.Succeeded);
            Assert.False(recovered.Configured); // settings come from the node file, never from the journal

            await second.Accounts.Ask<AccountAck>(new ConfigureAccount(secondOptions.Accounts[0], Scheduled: false), AskTimeout, Ct);
            var again = await second.Accounts.Ask<CollectionResult>(new CollectNow(accountId), AskTimeout, Ct);
            Assert.True(again.Succeeded, again.Detail);
            Assert.Equal(0, again.Collected);

            // Snapshots were taken, and older ones deleted once a newer one was stored; so were the events they cover.
            var (events, snapshot) = await CoveredEventsDeletedAsync(accountId);
            Assert.True(snapshot > 5, $"snapshot at {snapshot}");
            Assert.All(events, e => Assert.True(e > snapshot, $"event {e} is covered by the snapshot at {snapshot} and still there"));
            Assert.Equal(1L, await _scenario.CountSnapshotsAsync(accountId, Ct));
        }

        Assert.Equal(12, _scenario.NewFiles().Length);
    }

    [Fact]
    public async Task Keep_all_events_keeps_what_snapshots_cover()
    {
        var user = await fixture.Server.CreateUserAsync("keepall", Ct);
        for (var i = 0; i < 8; i++)
        {
            fixture.Server.DropMessage(user.Name, MessageFactory.Create(1200 + (i * 100), 900 + i));
        }

        var (node, options) = await NodeScenario.StartAsync(NodeFile(user, user.Password, "leave-mail-on-server = on", "snapshot-every = 3\nkeep-all-events = on"), Ct);
        await using (node)
        {
            var result = await NodeScenario.CollectAsync(node, options.Accounts[0], Ct);
            Assert.Equal(8, result.Collected);
        }

        var (events, snapshot) = await _scenario.JournalExtentAsync(options.Accounts[0].Id, Ct);
        Assert.True(snapshot > 3, $"snapshot at {snapshot}");
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events); // every event from the first one
        Assert.True(events[^1] >= snapshot);
    }

    public void Dispose() => _scenario.Dispose();

    /// <summary>The journal's extent once no event at or below the newest snapshot is left, or after 30 s as it is then.</summary>
    private async Task<(List<long> Events, long Snapshot)> CoveredEventsDeletedAsync(string accountId)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            var extent = await _scenario.JournalExtentAsync(accountId, Ct);
            if ((extent.Events.TrueForAll(e => e > extent.Snapshot) && await _scenario.CountSnapshotsAsync(accountId, Ct) == 1) || limit.IsCancellationRequested)
            {
                return extent;
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }

    private async Task<int> CountAuthFailuresAsync(string userName)
    {
        var log = await fixture.Server.ReadLogAsync(Ct);
        return log.Split('\n').Count(l => l.Contains("auth failed", StringComparison.Ordinal) && l.Contains($"user=<{userName}>", StringComparison.Ordinal));
    }
}
