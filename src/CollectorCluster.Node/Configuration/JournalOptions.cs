namespace CollectorCluster.Node.Configuration;

/// <summary><c>collector.journal</c>: where account journals and snapshots live.</summary>
/// <param name="Provider">sqlite (embedded, single node) or postgresql (shared, cluster).</param>
/// <param name="ConnectionString">The database connection string (may hold a password: never logged).</param>
/// <param name="SqliteFile">The SQLite file, when the provider is sqlite.</param>
public sealed record JournalOptions(string Provider, string ConnectionString, string? SqliteFile)
{
    /// <summary>The linq2db provider name for the configured provider.</summary>
    public string ProviderName => Provider == "postgresql" ? "PostgreSQL.15" : "SQLite.MS";
}
