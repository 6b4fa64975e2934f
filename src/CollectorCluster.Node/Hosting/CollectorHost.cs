using Akka.Hosting;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Actors.Recipients;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Core.Delivery;
using CollectorCluster.Delivery;
using CollectorCluster.Delivery.Multidrop;
using CollectorCluster.Node.CommandHost;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Pop3;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CollectorCluster.Node.Hosting;

/// <summary>Builds the node: the generic host (Ctrl+C / SIGTERM run Akka's coordinated shutdown) around the actor system.</summary>
public static class CollectorHost
{
    /// <summary>
    /// The environment accounts collect in: real POP3, real destinations, the system clock, connection leases
    /// that attach to the node's <see cref="ConnectionTokens"/> actor once the host starts it, the cluster key
    /// (<paramref name="key"/>, or the key file, created on first use by a single node) for sealed settings, refresh
    /// tokens and keyed settings digests, the node's runtime-accounts policy, and multidrop delivery whose duplicate
    /// memory attaches to the node's recipient actors once the host starts them.
    /// </summary>
    public static CollectionEnvironment Environment(CollectorOptions options, Secrets.ClusterKey? key = null)
    {
        var recipients = new ActorDuplicateLedger();
        return new CollectionEnvironment(
            Pop3Connector.ConnectAsync,
            Destination,
            new ActorConnectionLeases(),
            TimeProvider.System,
            options.Tuning)
        {
            Online = new NodeOnline(options.Online.InitiallyOnline),
            Secrets = key ?? LoadKey(options),
            RuntimeRefusal = settings => options.RuntimeAccounts.Refusal(settings, Path.GetDirectoryName(options.ConfigFile)!),
            JournalName = options.Journal.Name,
            Recipients = recipients,
            Multidrop = (env, account, journal) => new MultidropDestination(account.Multidrop!, Destination, env.Recipients ?? recipients, journal, env.Clock),
        };
    }

    /// <summary>
    /// The cluster key (<c>collector.secrets.key-file</c>): made by a single node on first start, never by one that joins a
    /// cluster; a key file a crash left empty or cut short is made anew only while the journal holds no event at all.
    /// </summary>
    public static Secrets.ClusterKey LoadKey(CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Secrets.ClusterKey.Load(options.KeyFile, create: !options.JoinsCluster, () => JournalPreparation.HoldsNoEvents(options.Journal));
    }

    private static IMessageDestination Destination(string mailbox) =>
        MessageDestinations.Create(MailboxSpec.Parse(mailbox, System.Environment.CurrentDirectory));

    /// <summary>
    /// Builds (does not start) the host: logs on stderr and into the node's <paramref name="log"/> ring, the actor
    /// system as <paramref name="akka"/> composes it, and the online probe.
    /// </summary>
    public static IHost Build(CollectorOptions options, CollectionEnvironment env, LogRing log, Action<AkkaConfigurationBuilder> akka) =>
        new HostBuilder()
            .ConfigureLogging(logging => logging
                .ClearProviders()
                .AddConsole(o =>
                {
                    o.LogToStandardErrorThreshold = LogLevel.Trace; // logs on stderr; stdout is for command output
                    // A stderr nobody drains (a stopped pager, a stuck pipe reader) must not stop the collection: with
                    // the default (Wait) a full queue blocks every thread that logs, actors and sessions included, until
                    // the thread pool starves. Log lines are dropped instead (and counted in the log); the journal is
                    // the record of what was collected.
                    o.QueueFullMode = Microsoft.Extensions.Logging.Console.ConsoleLoggerQueueFullMode.DropWrite;
                    // Server text cannot drive the terminal, in either format (collector.log.format).
                    o.FormatterName = options.LogFormat == Observability.LogFormat.Json ? Observability.JsonLogFormatter.FormatterName : SanitizingConsoleFormatter.FormatterName;
                })
                .AddConsoleFormatter<SanitizingConsoleFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>()
                .AddConsoleFormatter<Observability.JsonLogFormatter, Microsoft.Extensions.Logging.Console.ConsoleFormatterOptions>()
                .SetMinimumLevel(LogLevel.Information)
                .AddFilter("Microsoft", LogLevel.Warning)
                .AddProvider(new LogRingLoggerProvider(log)))
            .ConfigureServices(services => services
                .AddAkka("collector", (builder, _) => akka(builder))
                .AddHostedService(_ => new OnlineProbe(options.Online, env.Online, env.Clock))
                // Room for every session to finish the message in flight and commit (see coordinated-shutdown in the defaults).
                .Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(90)))
            .UseConsoleLifetime(o => o.SuppressStatusMessages = true)
            .Build();
}
