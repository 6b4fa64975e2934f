using System.Collections.Immutable;
using Akka.Actor;
using Akka.Actor.Setup;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Sql.Hosting;
using Akka.Remote.Hosting;
using Akka.Serialization;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Actors.Recipients;
using CollectorCluster.Actors.Registry;
using CollectorCluster.Actors.Sharding;
using CollectorCluster.Actors.Sleep;
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
    private const string ClusterSerializerName = "collector-cluster";

    /// <summary>
    /// What the journal's own serializer writes: every account event, snapshot and registry event, and the multidrop
    /// recipients' events, snapshots and protocol (which crosses nodes).
    /// </summary>
    private static readonly ImmutableHashSet<Type> Journaled =
        [typeof(IAccountEvent), typeof(AccountSnapshot), typeof(IRegistryEvent), typeof(IRecipientEvent), typeof(RecipientSnapshot), typeof(IRecipientMessage), typeof(AccountSlept), typeof(AlarmSnapshot)];

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

    /// <summary>
    /// The journal's serializer (versioned JSON for everything persisted) and the cluster messages' (versioned JSON for
    /// everything that crosses nodes): never Akka's default reflection one with CLR type names.
    /// </summary>
    public static AkkaConfigurationBuilder WithCollectorSerialization(this AkkaConfigurationBuilder builder) => builder
        .WithCustomSerializer(SerializerName, Journaled, system => new AccountEventSerializer(system))
        .WithCustomSerializer(ClusterSerializerName, ClusterMessageSerializer.BoundTypes, system => new ClusterMessageSerializer(system));

    /// <summary>
    /// Where this node listens for the other members, with mutual TLS when <c>collector.cluster.tls</c> is on (every
    /// member's certificate signed by the cluster's private CA, checked both ways; see <see cref="ClusterTls"/>).
    /// </summary>
    public static AkkaConfigurationBuilder WithClusterRemoting(this AkkaConfigurationBuilder builder, CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var remote = new RemoteOptions
        {
            HostName = options.Remote.HostName,
            Port = options.Remote.Port,
            PublicHostName = options.Remote.PublicHostName,
            PublicPort = options.Remote.PublicPort,
        };
        if (ClusterTls.Options(options.Tls) is { } ssl)
        {
            remote.EnableSsl = true;
            remote.Ssl = ssl;
        }

        return builder.WithRemoting(remote);
    }

    /// <summary>
    /// The SQL journal and snapshot store (Akka.Persistence.Sql) on SQLite or PostgreSQL, tables created on first use
    /// (a SQLite journal whose tables all exist is not asked to create them again: <see cref="JournalPreparation.SchemaExists"/>),
    /// with the read adapter that upcasts <c>RuntimeAccountAdded.v1</c>. One writer for SQLite (a single file), a few
    /// for PostgreSQL.
    /// </summary>
    public static AkkaConfigurationBuilder WithCollectorPersistence(this AkkaConfigurationBuilder builder, JournalOptions journal)
    {
        var (journalOptions, snapshotOptions) = SqlOptions(journal);
        return builder
            .WithSqlPersistence(journalOptions, snapshotOptions, j => j.AddReadEventAdapter<RuntimeAccountV1Adapter>("runtime-account-v1", [typeof(RuntimeAccountAddedV1)]))
            .AddHocon(Parallelism(journal), HoconAddMode.Prepend)
            // The journal and snapshot store start (and create their tables) with the node, not under the load of the
            // first accounts' recoveries, where a slow first start tripped the journal's circuit breaker.
            .WithActors((system, _) =>
            {
                var persistence = Akka.Persistence.Persistence.Instance.Apply(system);
                persistence.JournalFor(null);
                persistence.SnapshotStoreFor(null);
            });
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
    /// The POP3 servers' budgets for the whole cluster (registered as <see cref="ServerBudgetRegion"/>): one
    /// <see cref="ServerGovernor"/> per server host, sharded, so max-per-server holds however many nodes there are. Not
    /// remembered (a governor starts on a server's first request and calls the roll of the members' tokens); started
    /// before the node's tokens, which send to it.
    /// </summary>
    public static AkkaConfigurationBuilder WithServerBudgets(this AkkaConfigurationBuilder builder, CollectorOptions options, CollectionEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tokens = options.Tokens;
        return builder.WithShardRegion<ServerBudgetRegion>(
            "server-budget",
            server => ServerGovernor.Props(server, tokens.MaxPerServer, tokens.AgingStep, env.Clock, sharded: true),
            new ServerBudgetMessageExtractor(options.Shards),
            new ShardOptions
            {
                RememberEntities = false,
                StateStoreMode = StateStoreMode.DData,
                HandOffStopMessage = StopServerGovernor.Instance,
            });
    }

    /// <summary>
    /// The node's connection tokens (registered as <see cref="ConnectionTokens"/>, at <c>/user/connection-tokens</c>),
    /// started before any account so the first session's lease request finds them, with the "CollectorCluster" meter's
    /// token instruments. Server budgets go to the cluster's governors when <see cref="WithServerBudgets"/> came first,
    /// else to governors of this node alone.
    /// </summary>
    public static AkkaConfigurationBuilder WithConnectionTokens(this AkkaConfigurationBuilder builder, TokenPoolSettings settings, CollectionEnvironment env) =>
        builder.WithActors((system, registry) =>
        {
            var metrics = new TokenMetrics();
            system.RegisterOnTermination(metrics.Dispose);
            var servers = registry.TryGet<ServerBudgetRegion>(out var region) ? region : null;
            var tokens = system.ActorOf(ConnectionTokens.Props(settings, env.Clock, servers: servers, metrics: metrics), ConnectionTokens.Name);
            registry.Register<ConnectionTokens>(tokens);
            if (env.Leases is ActorConnectionLeases leases)
            {
                leases.Attach(system, tokens);
            }
        });

    /// <summary>
    /// The accounts sharded over the cluster (registered as <see cref="AccountRegion"/>): a fixed shard count,
    /// remembered entities (event-sourced store: the DData store fails here), and <see cref="StopAccount"/> on hand-off
    /// so an account finishes the message in flight. An entity started here by hand-over or fail-over reads the settings
    /// last applied anywhere in the cluster from its own journal (sealed; opened with the cluster key in
    /// <paramref name="env"/>), whatever this node's accounts file says. Each shard also hosts its accounts' alarm
    /// (<see cref="AccountAlarm"/>), which wakes those that sleep (<c>collector.sleep</c>).
    /// </summary>
    public static AkkaConfigurationBuilder WithAccountShardRegion(this AkkaConfigurationBuilder builder, CollectorOptions options, CollectionEnvironment env)
    {
        ArgumentNullException.ThrowIfNull(options);
        return builder.WithShardRegion<AccountRegion>(
            "account",
            id => AccountMessageExtractor.AlarmShard(id) is { } shard
                ? AccountAlarm.Props(shard, accounts: null, env.Clock)
                : AccountActor.Props(id, env, restoreSettings: true),
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
    /// The cluster's account directory (registered as <see cref="AccountRegistry"/>: its shard region): one sharded
    /// entity, so one writer of <c>account-registry</c> in the whole cluster, wherever sharding places it. Created on
    /// first use; nothing in a node's start waits for it (the accounts are applied once it answers).
    /// </summary>
    public static AkkaConfigurationBuilder WithAccountRegistry(this AkkaConfigurationBuilder builder) =>
        builder.WithShardRegion<AccountRegistry>(
            "account-registry",
            _ => AccountRegistry.Props(),
            new RegistryMessageExtractor(),
            new ShardOptions
            {
                RememberEntities = false,
                StateStoreMode = StateStoreMode.DData,
                HandOffStopMessage = StopRegistry.Instance,
            });

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
        var serialization = SerializationSetup.Create(system =>
        [
            SerializerDetails.Create(SerializerName, new AccountEventSerializer(system), Journaled),
            SerializerDetails.Create(ClusterSerializerName, new ClusterMessageSerializer(system), [.. ClusterMessageSerializer.BoundTypes]),
        ]);
        return BootstrapSetup.Create().WithConfig(config).And(serialization);
    }

    private static (SqlJournalOptions Journal, SqlSnapshotOptions Snapshot) SqlOptions(JournalOptions journal)
    {
        var postgres = journal.Provider == "postgresql";
        var create = !JournalPreparation.SchemaExists(journal);
        return (
            new SqlJournalOptions(isDefaultPlugin: true)
            {
                ConnectionString = journal.ConnectionString,
                ProviderName = journal.ProviderName,
                DatabaseOptions = postgres ? JournalDatabaseOptions.PostgreSql : JournalDatabaseOptions.Sqlite,
                AutoInitialize = create,
            },
            new SqlSnapshotOptions(isDefaultPlugin: true)
            {
                ConnectionString = journal.ConnectionString,
                ProviderName = journal.ProviderName,
                DatabaseOptions = postgres ? SnapshotDatabaseOptions.PostgreSql : SnapshotDatabaseOptions.Sqlite,
                AutoInitialize = create,
            });
    }

    private static Config Parallelism(JournalOptions journal) =>
        ConfigurationFactory.ParseString($"akka.persistence.journal.sql.parallelism = {(journal.Provider == "postgresql" ? 3 : 1)}");
}
