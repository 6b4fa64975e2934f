using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing.Nodes;
using Microsoft.Data.Sqlite;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// A SQLite journal's tables are created by the SQL plugin on a node's first start and not asked for again once they
/// all exist (<see cref="JournalPreparation.SchemaExists"/>): the list the node checks must be exactly what the plugin
/// creates (a plugin upgrade that adds or renames a table or index fails here), and a journal missing any part of it
/// gets it created.
/// </summary>
public sealed class JournalSchemaTests : IDisposable
{
    private readonly NodeScenario _scenario = new("cc-journal-schema-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_schema_the_node_checks_for_is_exactly_what_the_plugin_creates_on_a_new_journal()
    {
        var options = Options();
        Assert.False(JournalPreparation.SchemaExists(options.Journal)); // no file yet

        await ConfigureAccountAsync(options);

        Assert.Equal(JournalPreparation.SqliteSchema.Order(StringComparer.Ordinal), SchemaObjects().Order(StringComparer.Ordinal));
        Assert.True(JournalPreparation.SchemaExists(options.Journal));
    }

    [Fact]
    public async Task A_journal_missing_a_table_is_not_taken_as_ready_and_the_next_start_creates_it()
    {
        var options = Options();
        await ConfigureAccountAsync(options);
        Execute("DROP TABLE snapshot");
        Assert.False(JournalPreparation.SchemaExists(options.Journal));

        await ConfigureAccountAsync(options); // recovery loads the snapshot store: it answers from the table it created

        Assert.Contains("snapshot", SchemaObjects());
        Assert.Contains("snapshot_created_at_idx", SchemaObjects());
        Assert.True(JournalPreparation.SchemaExists(options.Journal));
    }

    public void Dispose() => _scenario.Dispose();

    private Configuration.CollectorOptions Options()
    {
        // The account is only configured, never collected: nothing listens on its port.
        _scenario.WriteNodeFile(_scenario.Account("a1", "127.0.0.1", 9, "fred", "secret"));
        return _scenario.Load();
    }

    /// <summary>Starts a node, configures the account (its recovery reads the snapshot store, its settings are journalled), stops the node.</summary>
    private static async Task ConfigureAccountAsync(Configuration.CollectorOptions options)
    {
        await using (var node = await NodeScenario.StartAsync(options, Ct))
        {
            var account = options.Accounts.Single();
            var actor = await node.Accounts.Ask<IActorRef>(new LocateAccount(account.Id), NodeScenario.AskTimeout, Ct);
            await actor.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), NodeScenario.AskTimeout, Ct);
        }

        SqliteConnection.ClearAllPools();
    }

    private List<string> SchemaObjects()
    {
        using var db = new SqliteConnection(_scenario.JournalConnectionString);
        db.Open();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table', 'index') AND name NOT LIKE 'sqlite%'";
        using var reader = query.ExecuteReader();
        var names = new List<string>();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private void Execute(string sql)
    {
        using (var db = new SqliteConnection(_scenario.JournalConnectionString))
        {
            db.Open();
            using var command = db.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
    }
}
