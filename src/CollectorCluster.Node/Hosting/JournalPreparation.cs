using CollectorCluster.Node.Configuration;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CollectorCluster.Node.Hosting;

/// <summary>
/// Makes the journal usable before Akka starts, and fails loudly when it is not (the SQL plugin would only log
/// an error and run on). For SQLite: the directory, WAL mode, and a lock so two processes never share one file.
/// </summary>
public static class JournalPreparation
{
    /// <summary>Prepares the journal; the returned lock (SQLite) must live as long as the node.</summary>
    /// <remarks>
    /// One method per provider: an async method's state machine holds its locals' types, and a SQLite node need not load
    /// the PostgreSQL client at all.
    /// </remarks>
    public static Task<IDisposable?> PrepareAsync(JournalOptions journal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(journal);
        return journal.Provider == "postgresql" ? ReachPostgresAsync(journal, cancellationToken) : LockSqliteAsync(journal, cancellationToken);
    }

    private static async Task<IDisposable?> ReachPostgresAsync(JournalOptions journal, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(journal.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or TimeoutException)
        {
            var builder = new NpgsqlConnectionStringBuilder(journal.ConnectionString);
            throw new ConfigurationException($"collector.journal: cannot reach PostgreSQL at {builder.Host}:{builder.Port} database '{builder.Database}' as '{builder.Username}': {e.Message}", e);
        }
    }

    /// <summary>The directory, a lock no other process can take, and WAL mode.</summary>
    private static async Task<IDisposable?> LockSqliteAsync(JournalOptions journal, CancellationToken cancellationToken)
    {
        var file = journal.SqliteFile!;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        FileStream held;
        try
        {
            held = new FileStream(file + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new ConfigurationException($"collector.journal: {file} is in use by another collector process (SQLite journals cannot be shared; use provider = postgresql for several nodes)", e);
        }

        try
        {
            await using var connection = new SqliteConnection(journal.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e)
        {
            await held.DisposeAsync().ConfigureAwait(false);
            throw new ConfigurationException($"collector.journal: cannot open SQLite journal {file}: {e.Message}", e);
        }

        return held;
    }

    /// <summary>
    /// Every table and index the SQL plugin creates in a SQLite journal (journal, tags, snapshots; plugin defaults). When
    /// all exist, the plugin's own creation (<c>CREATE TABLE IF NOT EXISTS</c> through linq2db, a few hundred ms of CPU
    /// on every start, most of it building its queries) is skipped; a test checks this list against what the plugin creates.
    /// </summary>
    public static readonly IReadOnlyList<string> SqliteSchema =
    [
        "event_journal", "event_journal_uq", "event_journal_timestamp_idx", "event_journal_sequence_nr_idx",
        "tags", "tags_persistence_id_sequence_nr_idx", "tags_tag_idx",
        "snapshot", "snapshot_sequence_nr_idx", "snapshot_created_at_idx",
    ];

    /// <summary>
    /// True when the journal's tables and indexes all exist already (<see cref="SqliteSchema"/>), so the plugin need not
    /// create them; false for PostgreSQL (the plugin checks there), a new or partly created file, or one that cannot be read.
    /// </summary>
    public static bool SchemaExists(JournalOptions journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        if (journal.Provider == "postgresql" || !File.Exists(journal.SqliteFile))
        {
            return false;
        }

        try
        {
            using var sqlite = new SqliteConnection(journal.ConnectionString);
            sqlite.Open();
            using var command = sqlite.CreateCommand();
            command.CommandText = "SELECT name FROM sqlite_master WHERE type IN ('table', 'index')";
            using var reader = command.ExecuteReader();
            var present = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                present.Add(reader.GetString(0));
            }

            return SqliteSchema.All(present.Contains);
        }
        catch (Exception e) when (e is SqliteException or InvalidOperationException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when the journal holds no event at all (a fresh node: nothing can be sealed in it yet); false when it holds
    /// any, or when that cannot be told (unreachable, unreadable).
    /// </summary>
    public static bool HoldsNoEvents(JournalOptions journal)
    {
        ArgumentNullException.ThrowIfNull(journal);
        const string Query = "SELECT COUNT(*) FROM (SELECT 1 FROM event_journal LIMIT 1) AS any_event";
        try
        {
            if (journal.Provider == "postgresql")
            {
                using var pg = new NpgsqlConnection(journal.ConnectionString);
                pg.Open();
                using var exists = new NpgsqlCommand("SELECT to_regclass('event_journal') IS NULL", pg);
                if ((bool)exists.ExecuteScalar()!)
                {
                    return true;
                }

                using var count = new NpgsqlCommand(Query, pg);
                return Convert.ToInt64(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0;
            }

            if (!File.Exists(journal.SqliteFile))
            {
                return true;
            }

            using var sqlite = new SqliteConnection(journal.ConnectionString);
            sqlite.Open();
            using var table = sqlite.CreateCommand();
            table.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'event_journal'";
            if (Convert.ToInt64(table.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                return true;
            }

            using var events = sqlite.CreateCommand();
            events.CommandText = Query;
            return Convert.ToInt64(events.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0;
        }
        catch (Exception e) when (e is NpgsqlException or SqliteException or InvalidOperationException or IOException)
        {
            return false;
        }
    }
}
