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
    public static async Task<IDisposable?> PrepareAsync(JournalOptions journal, CancellationToken cancellationToken)
    {
        if (journal.Provider == "postgresql")
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
}
