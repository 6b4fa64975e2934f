using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// "Automatically delete after N days" on a real node and a real Dovecot, with a clock the test controls: the node's
/// <see cref="Actors.Collection.CollectionEnvironment.Clock"/> is a <see cref="FakeTimeProvider"/>, so days pass
/// without waiting and first-seen comes back from the journal after a restart.
/// </summary>
public sealed class DeleteAfterDaysTests(DovecotFixture fixture) : IDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromMinutes(2);
    private static readonly DateTimeOffset Day0 = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-expire-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Collected_on_day_0_kept_before_N_days_deleted_after_N_days_and_first_seen_survives_a_restart()
    {
        var user = await fixture.Server.CreateUserAsync("expire", Ct);
        var messages = Enumerable.Range(0, 3).Select(i => MessageFactory.Create(1200 + (i * 100), 900 + i)).ToList();
        messages.ForEach(m => fixture.Server.DropMessage(user.Name, m));
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, $$"""
            collector {
              journal.connection-string = "Data Source={{_dir}}/journal.db"
              accounts = [ {
                id = {{user.Name}}, pop3-server = "{{fixture.Server.Host}}", port = {{fixture.Server.PlainPort}}
                pop3-account = "{{user.Name}}", password = "{{user.Password}}", check-every = 10s
                mailbox = "maildir:{{_dir}}/maildir"
                leave-mail-on-server = on, delete-after-days = 3
              } ]
            }
            """);
        var options = CollectorConfigLoader.Load(file);
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
        Assert.Equal(3, Directory.GetFiles(Path.Combine(_dir, "maildir", "new")).Length);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private static Task<CollectorNode> StartAsync(CollectorOptions options, TimeProvider clock) =>
        CollectorNode.StartAsync(options, AccountHosting.Local, Ct, CollectorHost.Environment(options) with { Clock = clock });

    private static async Task<CollectionResult> CollectAsync(CollectorNode node, CollectorOptions options)
    {
        var account = options.Accounts[0];
        await node.Accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), AskTimeout, Ct);
        return await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, Ct);
    }

    /// <summary>The journal's MessagesDeletedOnServer payloads for the account, as JSON text, in order.</summary>
    private async Task<List<string>> DeletionEventsAsync(string accountId)
    {
        await using var db = new SqliteConnection($"Data Source={_dir}/journal.db");
        await db.OpenAsync(Ct);
        await using var query = db.CreateCommand();
        query.CommandText = "SELECT payload FROM event_journal WHERE persistence_id = $id AND manifest = 'MessagesDeletedOnServer.v1' ORDER BY sequence_nr";
        query.Parameters.AddWithValue("$id", "account-" + accountId);
        var found = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            found.Add(System.Text.Encoding.UTF8.GetString((byte[])reader[0]));
        }

        return found;
    }
}
