using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Commands;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Faults;
using CollectorCluster.Testing.Network;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// A journal that fails in the middle of a session (the fault campaign's finding 5): the private PostgreSQL journal is
/// stopped while the scripted server is about to answer a RETR. The session must stop without committing deletions it
/// could not record, <c>collector once</c> must answer FAILED with the journal's error instead of waiting forever, and
/// the daemon's account must keep failing safely until the journal is back, then collect each message once.
/// </summary>
public sealed class JournalFailureTests : IDisposable
{
    private const string User = "fred";
    private const string Password = "secret";

    // Only a guard against the hang this class is about: a run that works ends long before it.
    private static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(4);
    private readonly NodeScenario _scenario = new("cc-journal-fails-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Once_answers_FAILED_with_the_journal_error_deletes_nothing_unrecorded_and_the_next_run_collects_each_message_once()
    {
        await using var postgres = await PostgresServer.StartAsync(Ct);
        var messages = Messages(6);
        await using var server = new ScriptedPop3Mailbox();
        server.AddUser(User, Password, messages);
        StopJournalBeforeRetrieval(server, postgres, 2);
        var options = Options(postgres, server, "leave-mail-on-server = off");

        var output = new StringWriter();
        var code = await OnceCommand.RunAsync(options, output, Ct).WaitAsync(HangGuard, Ct);

        Assert.True(code == OnceCommand.ExitFailed, output.ToString());
        Assert.Contains($"foreign {User}@127.0.0.1 FAILED: ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"the journal ({PostgresName(postgres)}) could not record", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.CommittedDeletions); // no deletion went through that the journal did not hold first
        Assert.Equal(6, server.Keys(User).Count);

        server.BeforeRetrieve = null;
        await postgres.RestartAsync(Ct);
        var again = new StringWriter();
        Assert.Equal(OnceCommand.ExitOk, await OnceCommand.RunAsync(options, again, Ct).WaitAsync(HangGuard, Ct));
        Assert.Empty(server.Keys(User));
        AssertHoldsEachOnce(messages);
    }

    [Fact]
    public async Task Once_on_a_SQLite_journal_whose_disk_turns_read_only_answers_FAILED_naming_the_journal_and_the_next_run_collects_each_message_once()
    {
        // The journal on a small ext4 that its own error path turns read-only under the running node, as a failing disk does.
        await using var disk = await LoopDisk.CreateAsync(Path.Combine(_scenario.Root, "state"));
        var journal = Path.Combine(disk.Path, "journal.db");
        var messages = Messages(6);
        await using var server = new ScriptedPop3Mailbox();
        server.AddUser(User, Password, messages);
        var broken = 0;
        server.BeforeRetrieve = async n =>
        {
            if (n == 2 && Interlocked.Exchange(ref broken, 1) == 0)
            {
                await disk.BreakAsync();
            }
        };
        _scenario.WriteNodeFile(
            _scenario.Account("foreign", "127.0.0.1", server.Port, User, Password, "leave-mail-on-server = off", checkEvery: "10s"),
            $"state-directory = \"{disk.Path}\"\n  journal.connection-string = \"Data Source={journal}\"");
        var options = _scenario.Load();

        var output = new StringWriter();
        var code = await OnceCommand.RunAsync(options, output, Ct).WaitAsync(HangGuard, Ct);

        Assert.True(code == OnceCommand.ExitFailed, output.ToString());
        Assert.Contains($"foreign {User}@127.0.0.1 FAILED: ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains($"the journal (sqlite {journal}) could not record", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, server.CommittedDeletions);
        Assert.Equal(6, server.Keys(User).Count);

        server.BeforeRetrieve = null;
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the one-shot node is gone; its pooled handles too
        await disk.RepairAsync();
        var again = new StringWriter();
        Assert.True(await OnceCommand.RunAsync(_scenario.Load(), again, Ct).WaitAsync(HangGuard, Ct) == OnceCommand.ExitOk, again.ToString());
        Assert.Empty(server.Keys(User));
        AssertHoldsEachOnce(messages);
    }

    [Fact]
    public async Task Once_answers_FAILED_when_the_account_cannot_read_its_journal_instead_of_waiting_for_an_answer_that_never_comes()
    {
        // An account whose recovery fails stops before it can answer anything: `collector once` must notice, not wait.
        await using var server = new ScriptedPop3Mailbox();
        server.AddUser(User, Password, Messages(2));
        _scenario.WriteNodeFile(_scenario.Account("foreign", "127.0.0.1", server.Port, User, Password, "leave-mail-on-server = on", checkEvery: "10s"));
        var options = _scenario.Load();
        Assert.Equal(OnceCommand.ExitOk, await OnceCommand.RunAsync(options, new StringWriter(), Ct).WaitAsync(HangGuard, Ct));

        await using (var db = new Microsoft.Data.Sqlite.SqliteConnection(_scenario.JournalConnectionString))
        {
            await db.OpenAsync(Ct);
            await using var corrupt = db.CreateCommand();
            corrupt.CommandText = "UPDATE event_journal SET manifest = 'Unreadable.v9' WHERE persistence_id = 'account-foreign'; DELETE FROM snapshot";
            Assert.True(await corrupt.ExecuteNonQueryAsync(Ct) > 0);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var output = new StringWriter();
        var code = await OnceCommand.RunAsync(options, output, Ct).WaitAsync(HangGuard, Ct);
        Assert.True(code == OnceCommand.ExitFailed, output.ToString());
        Assert.Contains($"foreign {User}@127.0.0.1 FAILED: ", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("the account stopped without answering", output.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, server.Logins); // the first run's only
    }

    [Fact]
    public async Task The_daemons_account_fails_safely_while_the_journal_is_down_and_collects_each_message_once_when_it_is_back()
    {
        await using var postgres = await PostgresServer.StartAsync(Ct);
        var messages = Messages(6);
        await using var server = new ScriptedPop3Mailbox();
        server.AddUser(User, Password, messages);
        var down = StopJournalBeforeRetrieval(server, postgres, 2);
        var options = Options(postgres, server, "leave-mail-on-server = off");

        await using var node = await CollectorNode.StartAsync(options, AccountHosting.Sharded, Ct);
        var (log, next, subscription) = node.Log.Follow(0);
        using (subscription)
        {
            // As `run` applies a file account (ClusterAccounts): sealed and journaled with the account, so the entity sharding
            // starts again after the failure reads its settings back (a plain ConfigureAccount would not survive the restart).
            var sealedSettings = SealedAccountSettings.Seal(options.Accounts[0], node.Environment.Secrets!);
            node.Accounts.Tell(new ApplyAccountSettings(sealedSettings, AccountOrigin.File), ActorRefs.NoSender);
            await down.Task.WaitAsync(HangGuard, Ct);

            // The account stops on the failed write, and sharding starts it again after its back-off; while the journal is
            // down that restart fails too (recovery cannot read), so nothing logs in and nothing is deleted.
            await WaitForLogAsync(log, next, l => l.Contains($"Account foreign: the journal ({PostgresName(postgres)}) could not record", StringComparison.Ordinal));
            await WaitForLogAsync(log, next, l => l.Contains("account-foreign", StringComparison.Ordinal) && (l.Contains("replay", StringComparison.OrdinalIgnoreCase) || l.Contains("recover", StringComparison.OrdinalIgnoreCase)));
            Assert.Equal(1, server.Logins);
            Assert.Equal(0, server.CommittedDeletions);

            server.BeforeRetrieve = null;
            await postgres.RestartAsync(Ct);
        }

        // Back: the restarted account collects on its schedule, each message once (the Maildir already held the six it
        // delivered before the failure), and deletes them only now that their collection is recorded.
        while (server.Keys(User).Count > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), Ct).WaitAsync(HangGuard, Ct);
        }

        AssertHoldsEachOnce(messages);
    }

    public void Dispose() => _scenario.Dispose();

    private static TaskCompletionSource StopJournalBeforeRetrieval(ScriptedPop3Mailbox server, PostgresServer postgres, int answered)
    {
        var down = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = 0;
        server.BeforeRetrieve = async n =>
        {
            if (n == answered && Interlocked.Exchange(ref stopped, 1) == 0)
            {
                await postgres.StopAsync(Ct);
                down.SetResult();
            }
        };
        return down;
    }

    private static string PostgresName(PostgresServer postgres)
    {
        var pg = new Npgsql.NpgsqlConnectionStringBuilder(postgres.ConnectionString);
        return $"postgresql {pg.Host}:{pg.Port}/{pg.Database}";
    }

    private static async Task WaitForLogAsync(IReadOnlyList<string> tail, System.Threading.Channels.ChannelReader<string> next, Func<string, bool> line)
    {
        if (tail.Any(line))
        {
            return;
        }

        while (!line(await next.ReadAsync(Ct).AsTask().WaitAsync(HangGuard, Ct)))
        {
        }
    }

    private static List<(string Key, byte[] Content)> Messages(int count) =>
        Enumerable.Range(0, count).Select(i => ($"j{i:D3}", MessageFactory.Create(1300 + (i * 41), 7700 + i).Content)).ToList();

    private CollectorOptions Options(PostgresServer postgres, ScriptedPop3Mailbox server, string extra)
    {
        _scenario.WriteNodeFile(
            _scenario.Account("foreign", "127.0.0.1", server.Port, User, Password, extra, checkEvery: "10s"),
            $"journal {{ provider = postgresql, connection-string = \"{postgres.ConnectionString}\" }}");
        return _scenario.Load();
    }

    private void AssertHoldsEachOnce(IReadOnlyCollection<(string Key, byte[] Content)> messages)
    {
        var ids = Directory.GetFiles(Path.Combine(_scenario.Maildir, "new")).Select(f => MessageHeaders.MessageIdOf(File.ReadAllBytes(f)) ?? "(none)").ToList();
        Assert.Equal(messages.Select(m => MessageHeaders.MessageIdOf(m.Content)).Order(StringComparer.Ordinal), ids.Order(StringComparer.Ordinal));
    }
}
