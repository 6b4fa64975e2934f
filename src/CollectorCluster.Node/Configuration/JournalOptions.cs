namespace CollectorCluster.Node.Configuration;

/// <summary><c>collector.journal</c>: where account journals and snapshots live.</summary>
/// <param name="Provider">sqlite (embedded, single node) or postgresql (shared, cluster).</param>
/// <param name="ConnectionString">The database connection string (may hold a password: never logged).</param>
/// <param name="SqliteFile">The SQLite file, when the provider is sqlite.</param>
public sealed record JournalOptions(string Provider, string ConnectionString, string? SqliteFile)
{
    /// <summary>The linq2db provider name for the configured provider.</summary>
    public string ProviderName => Provider == "postgresql" ? "PostgreSQL.15" : "SQLite.MS";

    /// <summary>
    /// How errors name this journal: "sqlite /path/journal.db" or "postgresql host:port/database" (never the
    /// connection string itself, which may hold a password).
    /// </summary>
    public string Name => Provider == "postgresql" ? PostgresName(ConnectionString) : $"sqlite {SqliteFile}";

    // A method of its own, so that naming a SQLite journal does not load the PostgreSQL client.
    private static string PostgresName(string connectionString)
    {
        try
        {
            var pg = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return $"postgresql {pg.Host}:{pg.Port}/{pg.Database}";
        }
        catch (ArgumentException)
        {
            return "postgresql";
        }
    }
}
