using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Configuration;
using Akka.Hosting;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Actors.Sharding;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Hosting;

/// <summary>One <c>AddXxx</c> per feature, so the host reads as a list.</summary>
public static class CollectorAkkaExtensions
{
    /// <summary>The journal's serializer binding: every account event and snapshot goes through our own serializer.</summary>
    public static readonly Config SerializationConfig = ConfigurationFactory.ParseString($$"""
        akka.actor {
          serializers.collector-events = "{{typeof(AccountEventSerializer).AssemblyQualifiedName}}"
          serialization-bindings {
            "{{typeof(CollectorCluster.Core.Events.IAccountEvent).AssemblyQualifiedName}}" = collector-events
            "{{typeof(AccountSnapshot).AssemblyQualifiedName}}" = collector-events
          }
          serialization-identifiers {
            "{{typeof(AccountEventSerializer).AssemblyQualifiedName}}" = {{AccountEventSerializer.SerializerId}}
          }
        }
        """);

    /// <summary>A one-shot node: no remoting, no cluster.</summary>
    private static readonly Config LocalConfig = ConfigurationFactory.ParseString("akka.actor.provider = local");

    /// <summary>
    /// Configuration (HOCON + persistence), the node's connection tokens and the accounts: sharded over the cluster (joining itself when no seed
    /// nodes are given), or, for one-shot runs, hosted locally by an <see cref="AccountDirectory"/>.
    /// </summary>
    public static AkkaConfigurationBuilder AddCollector(this AkkaConfigurationBuilder builder, CollectorOptions options, CollectionEnvironment env, AccountHosting hosting)
    {
        builder
            .AddHocon(SerializationConfig, HoconAddMode.Prepend)
            .AddHocon(options.Hocon, HoconAddMode.Prepend)
            .ConfigureLoggers(loggers =>
            {
                // Akka's log events go to Microsoft.Extensions.Logging, one console format for the whole node.
                loggers.LogLevel = Akka.Event.LogLevel.InfoLevel;
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
        // The connection tokens start before any account, so the first session's lease request finds them.
        builder.WithActors((system, registry) =>
        {
            var metrics = new TokenMetrics(); // the "CollectorCluster" meter's token instruments, for any listener or exporter
            system.RegisterOnTermination(metrics.Dispose);
            var tokens = system.ActorOf(ConnectionTokens.Props(options.Tokens, env.Clock, metrics: metrics), "connection-tokens");
            registry.Register<ConnectionTokens>(tokens);
            if (env.Leases is ActorConnectionLeases leases)
            {
                leases.Attach(system, tokens);
            }
        });
        if (hosting == AccountHosting.Local)
        {
            return builder
                .AddHocon(LocalConfig, HoconAddMode.Prepend)
                .WithActors((system, registry) => registry.Register<AccountRegion>(system.ActorOf(AccountDirectory.Props(env), "accounts")));
        }

        return builder.WithActors((system, registry) =>
        {
            var cluster = Cluster.Get(system);
            if (cluster.Settings.SeedNodes.Count == 0)
            {
                cluster.Join(cluster.SelfAddress);
            }

            // Every node knows every account (one config file for the cluster): an entity started here by hand-over
            // or fail-over gets its settings at once.
            var known = options.Accounts.ToDictionary(a => a.Id, StringComparer.Ordinal);
            var sharding = ClusterSharding.Get(system);
            var settings = ClusterShardingSettings.Create(system);
            var region = sharding.Start(
                "account",
                id => AccountActor.Props(id, env, known.TryGetValue(id, out var account) ? new ConfigureAccount(account) : null),
                settings,
                new AccountMessageExtractor(options.Shards),
                sharding.DefaultShardAllocationStrategy(settings),
                StopAccount.Instance);
            registry.Register<AccountRegion>(region);
        });
    }
}
