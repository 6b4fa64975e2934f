using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using Akka.Serialization;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Actors.Recipients;
using CollectorCluster.Actors.Registry;
using CollectorCluster.Actors.Sharding;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Routing;
using CollectorCluster.Core.Tokens;
using CollectorCluster.Node.Configuration;
using JournalOptions = CollectorCluster.Node.Configuration.JournalOptions;

namespace CollectorCluster.Node.Hosting;

/// <summary>One extension per feature of a node, so a command's host reads as a list (see <c>RunCommand.Node</c>).</summary>
public static class CollectorAkkaExtensions
{
    private const string SerializerName = "collector-events";

    /// <summary>
    /// What the journal's own serializer writes: every account event, snapshot and registry event, and the multidrop
    /// recipients' events, snapshots and protocol (which crosses nodes).
    /// </summary>
    private static readonly ImmutableHashSet<Type> Journaled =
        [typeof(IAccountEvent), typeof(AccountSnapshot), typeof(IRegistryEvent), typeof(IRecipientEvent), typeof(RecipientSnapshot), typeof(IRecipientMessage)];

    /// <summary>
    /// The node file over the defaults (<see cref="CollectorOptions.Hocon"/>): Akka's own keys, among them the tuned
    /// failure detector, split-brain resolver and sharding settings; and Akka's log events into Microsoft.Extensions.Logging,
    /// one console format for the whole node, with Akka's minimal logger (start and end of the actor system's life) on
    /// standard error too (<see cref="StandardErrorLogger"/>), whatever the node file says: standard output is the commands'.
    /// </summary>
    public static AkkaConfigurationBuilder WithNodeFile(this AkkaConfigurationBuilder builder, CollectorOptions options) => builder
        .AddHocon(options.Hocon, HoconAddMode.Prepend)
        .AddHocon(StandardErrorLogger.Hocon, HoconAddMode.Prepend)
        .ConfigureLoggers(loggers =>
        {
            loggers.LogLevel = Akka.Event.LogLevel.InfoLevel;
            loggers.ClearLoggers();
            loggers.AddLoggerFactory();
        });

    /// <summary>The journal's serializer: versioned JSON for everything persisted, never Akka's default reflection one.</summary>
    public static AkkaConfigurationBuilder WithCollectorSerialization(this AkkaConfigurationBuilder builder) =>
        builder.WithCustomSerializer(SerializerName, Journaled, system => new AccountEventSerializer(system));

    /// <summary>
    /// The SQL journal and snapshot store (Akka.Persistence.Sql) on SQLite or PostgreSQL, tables created on first use,
    /// with the read adapter that upcasts <c>RuntimeAccountAdded.v1</c>. One writer for SQLite (a single file), a few
    /// for PostgreSQL.
    /// </summary>
    public static AkkaConfigurationBuilder WithCollectorPersistence(this AkkaConfigurationBuilder builder, JournalOptions journal)
    {
        var (journalOptions, snapshotOptions) = SqlOptions(journal);
        return builder
            .WithSqlPersistence(journalOptions, snapshotOptions, j => j.AddReadEventAdapter<RuntimeAccountV1Adapter>("runtime-account-v1", [typeof(RuntimeAccountAddedV1)]))
            .AddHocon(Parallelism(journal), HoconAddMode.Prepend);
    }

    /// <summary>
    /// A cluster of one when no seed nodes are configured: the node joins itself, as a single <c>collector run</c> does.
    /// With seed nodes Akka joins them on its own.
    /// </summary>
    public static AkkaConfigurationBuilder JoinItselfWithoutSeedNodes(this AkkaConfigurationBuilder builder) => builder.WithActors((system, _) =>
    {
        var cluster = Cluster.Get(system);
        if (cluster.Settings.SeedNodes.Count == 0)
        {
            cluster.Join(cluster.SelfAddress);
        }
    });

    /// <summary>
    /// The node's connection tokens (registered as <see cref="ConnectionTokens"/>), started before any account so the
    /// first session's lease request finds them, with the "CollectorCluster" meter's token instruments.
    /// </summary>
    public static AkkaConfigurationBuilder WithConnectionTokens(this AkkaConfigurationBuilder builder, TokenPoolSettings settings, CollectionEnvironment env) =>
        builder.WithActors((system, registry) =>
        {
            var metrics = new TokenMetrics();
            system.RegisterOnTermination(metrics.Dispose);
            var tokens = system.ActorOf(ConnectionTokens.Props(settings, env.Clock, metrics: metrics), "connection-tokens");
            registry.Register<ConnectionTokens>(tokens);
            if (env.Leases is ActorConnectionLeases leases)
            {
                leases.Attach(system, tokens);
            }
        });

    /// <summary>
    /// The accounts sharded over the cluster (registered as <see cref="AccountRegion"/>): a fixed shard count,
    /// remembered entities (event-sourced store: the DData store fails here), and <see cref="StopAccount"/> on hand-off
    /// so an account finishes the message in flight. Every node knows every account of the file: an entity started here
    /// by hand-over or fail-over gets its settings at once.
    /// </summary>
    public static AkkaConfigurationBuilder WithAccountShardRegion(this AkkaConfigurationBuilder builder, CollectorOptions options, CollectionEnvironment env)
    {
        var known = options.Accounts.ToDictionary(a => a.Id, StringComparer.Ordinal);
        return builder.WithShardRegion<AccountRegion>(
            "account",
            id => AccountActor.Props(id, env, known.TryGetValue(id, out var account) ? new ConfigureAccount(account) : null),
            new AccountMessageExtractor(options.Shards),
            new ShardOptions
            {
                RememberEntities = true,
                RememberEntitiesStore = RememberEntitiesStore.Eventsourced,
                StateStoreMode = StateStoreMode.DData,
                HandOffStopMessage = StopAccount.Instance,
            });
    }

    /// <summary>The accounts hosted in this process only, by an <see cref="AccountDirectory"/> (registered as <see cref="AccountRegion"/>): one-shot runs.</summary>
    public static AkkaConfigurationBuilder WithLocalAccounts(this AkkaConfigurationBuilder builder, CollectionEnvironment env) => builder
        .WithActorRefProvider(ProviderSelection.Local.Instance)
        .WithActors((system, registry) => registry.Register<AccountRegion>(system.ActorOf(AccountDirectory.Props(env), "accounts")));

    /// <summary>
    /// The multidrop recipients' duplicate memory sharded over the cluster (registered as <see cref="RecipientRegion"/>),
    /// keyed by recipient, so every account on every node asks the same actor about one user; entities are not
    /// remembered (each is rebuilt from its journal on its next message). Attached to the environment's ledger.
    /// </summary>
    public static AkkaConfigurationBuilder WithRecipientShardRegion(this AkkaConfigurationBuilder builder, CollectorOptions options, CollectionEnvironment env) => builder
        .WithShardRegion<RecipientRegion>(
            "recipient",
            id => RecipientActor.Props(id, env.Clock),
            new RecipientMessageExtractor(options.Shards),
            // Idle longer than a claim can live before a recipient is passivated, so a claim and its waiters never vanish with it.
            new ShardOptions
            {
                RememberEntities = false,
                StateStoreMode = StateStoreMode.DData,
                ShouldPassivateIdleEntities = true,
                PassivateIdleEntityAfter = DuplicateWindow.DefaultClaimTimeout * 2,
            })
        .WithActors((_, registry) => (env.Recipients as ActorDuplicateLedger)?.Attach(registry.Get<RecipientRegion>()));

    /// <summary>The multidrop recipients hosted in this process only (registered as <see cref="RecipientRegion"/>): one-shot runs.</summary>
    public static AkkaConfigurationBuilder WithLocalRecipients(this AkkaConfigurationBuilder builder, CollectionEnvironment env) =>
        builder.WithActors((system, registry) =>
        {
            var recipients = system.ActorOf(RecipientDirectory.Props(env.Clock), "recipients");
            registry.Register<RecipientRegion>(recipients);
            (env.Recipients as ActorDuplicateLedger)?.Attach(recipients);
        });

    /// <summary>
    /// The journal of accounts added at run time (registered as <see cref="AccountRegistry"/>), one per node over its
    /// journal. A cluster singleton is the cluster's next step; tried, and the 3-node ClusterFailoverTests' nodes then
    /// timed out asking it at start.
    /// </summary>
    public static AkkaConfigurationBuilder WithAccountRegistry(this AkkaConfigurationBuilder builder) =>
        builder.WithActors((system, registry) => registry.Register<AccountRegistry>(system.ActorOf(AccountRegistry.Props(), "account-registry")));

    /// <summary>
    /// The node file, serializer and journal of <paramref name="options"/> for an actor system built without the host
    /// (tests that run two incarnations of one account side by side); <paramref name="overrides"/> come first.
    /// </summary>
    public static ActorSystemSetup StandaloneSetup(CollectorOptions options, Config overrides)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (journalOptions, snapshotOptions) = SqlOptions(options.Journal);
        var config = overrides
            .WithFallback(Parallelism(options.Journal))
            .WithFallback(journalOptions.ToConfig())
            .WithFallback(snapshotOptions.ToConfig())
            .WithFallback(options.Hocon)
            .WithFallback(journalOptions.DefaultConfig)
            .WithFallback(snapshotOptions.DefaultConfig);
        var serialization = SerializationSetup.Create(system => [SerializerDetails.Create(SerializerName, new AccountEventSerializer(system), Journaled)]);
        return BootstrapSetup.Create().WithConfig(config).And(serialization);
    }

    private static (SqlJournalOptions Journal, SqlSnapshotOptions Snapshot) SqlOptions(JournalOptions journal)
    {
        var postgres = journal.Provider == "postgresql";
        return (
            new SqlJournalOptions(isDefaultPlugin: true)
            {
                ConnectionString = journal.ConnectionString,
                ProviderName = journal.ProviderName,
                DatabaseOptions = postgres ? JournalDatabaseOptions.PostgreSql : JournalDatabaseOptions.Sqlite,
                AutoInitialize = true,
            },
            new SqlSnapshotOptions(isDefaultPlugin: true)
            {
                ConnectionString = journal.ConnectionString,
                ProviderName = journal.ProviderName,
                DatabaseOptions = postgres ? SnapshotDatabaseOptions.PostgreSql : SnapshotDatabaseOptions.Sqlite,
                AutoInitialize = true,
            });
    }

    private static Config Parallelism(JournalOptions journal) =>
        ConfigurationFactory.ParseString($"akka.persistence.journal.sql.parallelism = {(journal.Provider == "postgresql" ? 3 : 1)}");
}
