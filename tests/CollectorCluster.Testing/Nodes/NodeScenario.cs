using System.Text;
using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using Microsoft.Data.Sqlite;

namespace CollectorCluster.Testing.Nodes;

/// <summary>
/// One test's private node in this process: a temp directory holding the node file, the SQLite journal and the
/// destination Maildir; writing the node file, starting the node with local account hosting, collecting an
/// account once, and reading back what the journal recorded by persistence id. What every node-level test did by
/// hand, in one place.
/// </summary>
public sealed class NodeScenario : IDisposable
{
    /// <summary>How long a test waits for an account's answer (a session against a real server included).</summary>
    public static readonly TimeSpan AskTimeout = TimeSpan.FromMinutes(2);

    /// <summary>Creates the temp directory (<paramref name="prefix"/> names it, e.g. <c>cc-mirror-</c>).</summary>
    public NodeScenario(string prefix)
    {
        Root = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    /// <summary>The temp directory.</summary>
    public string Root { get; }

    /// <summary>The node file <see cref="WriteNodeFile(string, string)"/> writes.</summary>
    public string NodeFile => Path.Combine(Root, "node.hocon");

    /// <summary>The SQLite journal's connection string (the node file points the journal there).</summary>
    public string JournalConnectionString => $"Data Source={Root}/journal.db";

    /// <summary>The default destination Maildir of the accounts.</summary>
    public string Maildir => Path.Combine(Root, "maildir");

    /// <summary>Files in the Maildir's <c>new</c> (where the collector delivers).</summary>
    public string[] NewFiles() => Directory.GetFiles(Path.Combine(Maildir, "new"));

    /// <summary>Files in the Maildir's <c>new</c> and <c>cur</c> (what a mail reader sees).</summary>
    public int DeliveredCount() =>
        new[] { "new", "cur" }.Select(d => Path.Combine(Maildir, d)).Where(Directory.Exists).Sum(d => Directory.GetFiles(d).Length);

    /// <summary>An account on the private Dovecot: id and pop3-account are the user's name, the password theirs unless given.</summary>
    public string Account(DovecotServer server, TestMailUser user, string extra = "", string checkEvery = "10s", string? password = null, int? port = null, string? mailbox = null) =>
        Account(user.Name, server.Host, port ?? server.PlainPort, user.Name, password ?? user.Password, extra, checkEvery, mailbox);

    /// <summary>
    /// One account object of the node file. A null <paramref name="password"/> leaves the key out (OAuth2);
    /// <paramref name="extra"/> holds further keys; the Maildir is <see cref="Maildir"/> unless <paramref name="mailbox"/> names another path.
    /// </summary>
    public string Account(string id, string host, int port, string user, string? password, string extra = "", string checkEvery = "10s", string? mailbox = null)
    {
        var secret = password is null ? string.Empty : $", password = \"{password}\"";
        return $$"""
            {
                id = {{id}}, pop3-server = "{{host}}", port = {{port}}
                pop3-account = "{{user}}"{{secret}}, check-every = {{checkEvery}}
                mailbox = "maildir:{{mailbox ?? Maildir}}"
                {{extra}}
              }
            """;
    }

    /// <summary>Writes the node file with one account (see <see cref="Account(DovecotServer, TestMailUser, string, string, string?, int?, string?)"/>); returns its path.</summary>
    public string WriteNodeFile(string account, string nodeExtra = "") => WriteNodeFile([account], nodeExtra);

    /// <summary>Writes the node file: the journal here, <paramref name="nodeExtra"/> node settings, the accounts; returns its path.</summary>
    public string WriteNodeFile(IReadOnlyList<string> accounts, string nodeExtra = "")
    {
        var text = new StringBuilder()
            .Append("collector {\n")
            .Append("  journal.connection-string = \"").Append(JournalConnectionString).Append("\"\n")
            .Append("  ").Append(nodeExtra).Append('\n')
            .Append("  accounts = [ ").AppendJoin(", ", accounts).Append(" ]\n")
            .Append("}\n");
        File.WriteAllText(NodeFile, text.ToString());
        return NodeFile;
    }

    /// <summary>Loads the node file as the collector does.</summary>
    public CollectorOptions Load() => CollectorConfigLoader.Load(NodeFile);

    /// <summary>Loads a node file as the collector does and starts a node on it.</summary>
    public static async Task<(CollectorNode Node, CollectorOptions Options)> StartAsync(string nodeFile, CancellationToken cancellationToken)
    {
        var options = CollectorConfigLoader.Load(nodeFile);
        return (await StartAsync(options, cancellationToken).ConfigureAwait(false), options);
    }

    /// <summary>Starts a node (local account hosting, the journal here); <paramref name="environment"/> adjusts what it collects with (a clock, the online condition).</summary>
    public static Task<CollectorNode> StartAsync(CollectorOptions options, CancellationToken cancellationToken, Func<CollectionEnvironment, CollectionEnvironment>? environment = null) =>
        CollectorNode.StartAsync(options, AccountHosting.Local, cancellationToken, environment?.Invoke(CollectorHost.Environment(options)));

    /// <summary>Configures the account without a schedule and collects it once.</summary>
    public static async Task<CollectionResult> CollectAsync(CollectorNode node, AccountSettings account, CancellationToken cancellationToken)
    {
        await node.Accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), AskTimeout, cancellationToken).ConfigureAwait(false);
        return await node.Accounts.Ask<CollectionResult>(new CollectNow(account.Id), AskTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The persistence id of an account's journal.</summary>
    public static string PersistenceIdOf(string accountId) => "account-" + accountId;

    /// <summary>The payloads (JSON text) of the events with <paramref name="manifest"/> (e.g. <c>MessageCollected.v1</c>) in the account's journal, in order.</summary>
    public Task<List<string>> JournalAsync(string accountId, string manifest, CancellationToken cancellationToken) =>
        JournalAsync(JournalConnectionString, accountId, manifest, cancellationToken);

    /// <summary>The payloads (JSON text) of the events with <paramref name="manifest"/> in the account's journal in the SQLite database <paramref name="connectionString"/> names, in order.</summary>
    public static async Task<List<string>> JournalAsync(string connectionString, string accountId, string manifest, CancellationToken cancellationToken)
    {
        await using var db = new SqliteConnection(connectionString);
        await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = db.CreateCommand();
        query.CommandText = "SELECT payload FROM event_journal WHERE persistence_id = $id AND manifest = $m ORDER BY sequence_nr";
        query.Parameters.AddWithValue("$id", PersistenceIdOf(accountId));
        query.Parameters.AddWithValue("$m", manifest);
        var found = new List<string>();
        await using var reader = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            found.Add(Encoding.UTF8.GetString((byte[])reader[0]));
        }

        return found;
    }

    /// <summary>How many snapshots the account's journal holds.</summary>
    public async Task<long> CountSnapshotsAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var db = new SqliteConnection(JournalConnectionString);
        await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var count = db.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM snapshot WHERE persistence_id = $id";
        count.Parameters.AddWithValue("$id", PersistenceIdOf(accountId));
        return (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// The sequence numbers of the account's events the journal still holds (not deleted), and the sequence number of
    /// its newest snapshot (0 when it has none).
    /// </summary>
    public async Task<(List<long> Events, long Snapshot)> JournalExtentAsync(string accountId, CancellationToken cancellationToken)
    {
        await using var db = new SqliteConnection(JournalConnectionString);
        await db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var events = db.CreateCommand();
        events.CommandText = "SELECT sequence_nr FROM event_journal WHERE persistence_id = $id AND is_deleted = 0 ORDER BY sequence_nr";
        events.Parameters.AddWithValue("$id", PersistenceIdOf(accountId));
        var found = new List<long>();
        await using (var reader = await events.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                found.Add(reader.GetInt64(0));
            }
        }

        await using var snapshot = db.CreateCommand();
        snapshot.CommandText = "SELECT COALESCE(MAX(sequence_nr), 0) FROM snapshot WHERE persistence_id = $id";
        snapshot.Parameters.AddWithValue("$id", PersistenceIdOf(accountId));
        return (found, (long)(await snapshot.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!);
    }

    /// <summary>Deletes the temp directory (its journal kept first for the secrets scan after the suite, when one runs).</summary>
    public void Dispose()
    {
        TestArtifacts.KeepFrom(Root);
        Directory.Delete(Root, true);
    }
}
