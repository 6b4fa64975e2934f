using Akka.Configuration;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Scheduling;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// Loads a node's HOCON file over the shipped defaults and validates it, once, into <see cref="CollectorOptions"/>:
/// the accounts, the journal, and every section's typed options. A node file only says
/// <c>collector.journal { provider, connection-string }</c>; the hosting turns that into the SQL plugin's settings.
/// </summary>
public static class CollectorConfigLoader
{
    /// <summary>Loads and validates; throws <see cref="ConfigurationException"/> naming the file and problem.</summary>
    public static CollectorOptions Load(string configFile, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var path = Path.GetFullPath(configFile);
        if (!File.Exists(path))
        {
            throw new ConfigurationException($"Configuration file {path} does not exist.");
        }

        var text = File.ReadAllText(path);
        if (HoconStructureCheck.FindProblem(text) is { } problem)
        {
            throw new ConfigurationException($"{path}: not valid HOCON: {problem}");
        }

        Config user;
        try
        {
            // A bound, because the parser has been seen to spin on malformed input the check above cannot catch.
            var parse = Task.Run(() => ConfigurationFactory.ParseString(text));
            if (!parse.Wait(TimeSpan.FromSeconds(10)))
            {
                throw new ConfigurationException($"{path}: not valid HOCON: the parser did not finish; check the file's syntax");
            }

            user = parse.Result;
        }
        catch (AggregateException e) when (e.InnerException is not null and not OutOfMemoryException)
        {
            throw new ConfigurationException($"{path}: not valid HOCON: {e.InnerException.Message}", e.InnerException);
        }

        var defaults = Defaults();
        var config = user.WithFallback(defaults);
        var directory = Path.GetDirectoryName(path)!;
        try
        {
            var accountsValue = config.GetValue("collector.accounts");
            var accounts = AccountConfigParser.Parse(accountsValue, directory, environment);
            var journal = Journal(config, directory, environment);
            var tuning = new CollectionTuning(
                Positive(config, "collector.batch-messages"),
                config.GetByteSize("collector.batch-bytes") ?? CollectionTuning.Default.BatchBytes,
                config.GetTimeSpan("collector.retry.base", CollectionTuning.Default.RetryBase),
                config.GetTimeSpan("collector.retry.max", CollectionTuning.Default.RetryMax),
                config.GetDouble("collector.jitter", CollectionTuning.Default.JitterFraction),
                Positive(config, "collector.snapshot-every"))
            {
                MaxSessionsPerRound = Positive(config, "collector.max-sessions-per-round"),
                RoundMinListed = Positive(config, "collector.round-min-listed"),
                KeepAllEvents = config.GetBoolean("collector.keep-all-events"),
                Sleep = AccountSleepReader.FromConfig(config),
                Pop3 = Pop3LimitsReader.FromConfig(config),
            };
            if (tuning.JitterFraction is < 0 or > 0.5)
            {
                throw new ConfigurationException($"collector.jitter: {tuning.JitterFraction} is out of range (0 to 0.5)");
            }

            var warnings = IntervalAdvisor.Warnings(accounts.Select(a => (a.Id, a.CheckEvery))).ToList();
            var cluster = ClusterConfigReader.Cluster(config);
            var tls = ClusterTlsOptions.FromConfig(config, directory);
            CheckSeedProtocol(cluster.SeedNodes ?? [], tls.Enabled);
            return new CollectorOptions(path, accounts, journal, Tokens(config), Positive(config, "collector.shards"), tuning, warnings, AkkaSection(user).WithFallback(AkkaSection(defaults)))
            {
                SecretSources = SecurityWarnings.SecretSources(accountsValue, directory),
                // Every section is read here, so `collector check` reports what `run` would refuse.
                Online = OnlineOptions.FromConfig(config),
                CommandHost = CommandHost.CommandHostOptions.FromConfig(config, directory, StateDirectory(config, directory, environment)),
                KeyFile = KeyFile(config, directory, environment),
                RuntimeAccounts = RuntimeAccountPolicy.FromConfig(config, directory),
                Web = Web.WebConsoleOptions.FromConfig(config, directory),
                Health = Observability.HealthOptions.FromConfig(config),
                LogFormat = Observability.LogFormatReader.FromConfig(config),
                Remote = ClusterConfigReader.Remote(config),
                Cluster = cluster,
                Tls = tls,
            };
        }
        catch (ConfigurationException e)
        {
            throw new ConfigurationException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>With cluster TLS the members are reached at <c>akka.ssl.tcp://</c> addresses, without it at <c>akka.tcp://</c>: a seed of the other kind is never reached.</summary>
    private static void CheckSeedProtocol(IEnumerable<string> seeds, bool tls)
    {
        var expected = tls ? "akka.ssl.tcp://" : "akka.tcp://";
        if (seeds.FirstOrDefault(s => !s.StartsWith(expected, StringComparison.Ordinal)) is { } wrong)
        {
            throw new ConfigurationException(
                $"akka.cluster.seed-nodes: '{wrong}' is not an {expected} address; {(tls ? "with collector.cluster.tls on" : "without collector.cluster.tls")} the members are reached at {expected}collector@host:port");
        }
    }

    /// <summary>The <c>akka</c> section of <paramref name="parsed"/>, at its place; nothing else of the file.</summary>
    private static Config AkkaSection(Config parsed) =>
        parsed.GetValue("akka") is { IsEmpty: false } akka && akka.IsObject() ? akka.AtKey("akka") : Config.Empty;

    /// <summary>The shipped defaults (embedded, so the binary works from any directory).</summary>
    public static Config Defaults()
    {
        using var stream = typeof(CollectorConfigLoader).Assembly.GetManifestResourceStream("collector.defaults.hocon")
            ?? throw new InvalidOperationException("collector.defaults.hocon is not embedded in the assembly");
        using var reader = new StreamReader(stream);
        return ConfigurationFactory.ParseString(reader.ReadToEnd());
    }

    private static JournalOptions Journal(Config config, string directory, Func<string, string?> environment)
    {
        var provider = config.GetString("collector.journal.provider", "sqlite").Trim().ToLowerInvariant();
        var connection = config.GetString("collector.journal.connection-string", "");
        switch (provider)
        {
            case "sqlite":
                if (string.IsNullOrWhiteSpace(connection))
                {
                    var file = Path.Combine(StateDirectory(config, directory, environment), "journal.db");
                    return new JournalOptions(provider, $"Data Source={file}", file);
                }

                var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connection);
                var full = Path.GetFullPath(builder.DataSource, directory);
                builder.DataSource = full;
                return new JournalOptions(provider, builder.ToString(), full);
            case "postgresql":
                if (string.IsNullOrWhiteSpace(connection))
                {
                    throw new ConfigurationException("collector.journal.connection-string is required with provider = postgresql");
                }

                return new JournalOptions(provider, connection, null);
            default:
                throw new ConfigurationException($"collector.journal.provider: '{provider}' is not one of sqlite, postgresql");
        }
    }

    /// <summary>The node key's file: <c>collector.secrets.key-file</c> (relative to the node file), else <c>node.key</c> in the state directory.</summary>
    private static string KeyFile(Config config, string directory, Func<string, string?> environment)
    {
        var configured = config.GetString("collector.secrets.key-file", "");
        return string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(StateDirectory(config, directory, environment), "node.key")
            : Path.GetFullPath(configured, directory);
    }

    /// <summary>The node's state directory (journal, node key): <c>collector.state-directory</c>, else the XDG state home.</summary>
    private static string StateDirectory(Config config, string directory, Func<string, string?> environment)
    {
        var configured = config.GetString("collector.state-directory", "");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured, directory);
        }

        var xdg = environment("XDG_STATE_HOME");
        var home = environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(xdg)
            ? Path.Combine(home, ".local", "state", "collector-cluster")
            : Path.Combine(xdg, "collector-cluster");
    }

    private static TokenPoolSettings Tokens(Config config)
    {
        // max-per-server may exceed max-pop3-clients: it is the cluster's cap on a server, the other is this node's.
        return new TokenPoolSettings(
            Positive(config, "collector.max-pop3-clients"),
            Positive(config, "collector.max-connecting"),
            Positive(config, "collector.max-per-server"),
            PositiveDuration(config, "collector.lease-timeout"),
            TokenPoolSettings.Default.AgingStep);
    }

    private static TimeSpan PositiveDuration(Config config, string key)
    {
        TimeSpan value;
        try
        {
            value = config.GetTimeSpan(key, TimeSpan.Zero, allowInfinite: false);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new ConfigurationException($"{key}: not a duration (e.g. 30m, 1h)");
        }

        return value > TimeSpan.Zero ? value : throw new ConfigurationException($"{key}: must be a positive duration (e.g. 30m, 1h)");
    }

    private static int Positive(Config config, string key)
    {
        var value = config.GetInt(key, 0);
        return value > 0 ? value : throw new ConfigurationException($"{key}: must be a positive whole number");
    }
}
