using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Actors.Registry;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Node.CommandHost;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Node.Observability;
using CollectorCluster.Node.Secrets;
using CollectorCluster.Node.Web;
using Microsoft.Extensions.DependencyInjection;

namespace CollectorCluster.Node.Commands;

/// <summary><c>collector run --config FILE</c>: the daemon. Collects on schedule until Ctrl+C or SIGTERM, which let the message in flight finish.</summary>
public static class RunCommand
{
    /// <summary>The daemon's node, feature by feature: its actor system as the host builds it.</summary>
    public static AkkaConfigurationBuilder Node(AkkaConfigurationBuilder akka, CollectorOptions options, CollectionEnvironment env) => akka
        .WithNodeFile(options)
        .WithCollectorSerialization()
        .WithCollectorPersistence(options.Journal)
        .WithRemoting(options.Remote)
        .WithClustering(options.Cluster)
        .JoinItselfWithoutSeedNodes()
        .WithConnectionTokens(options.Tokens, env)
        .WithRecipientShardRegion(options, env)
        .WithAccountShardRegion(options, env)
        .WithAccountRegistry()
        .WithObservation(options.LogFormat);

    /// <summary>Runs until stopped.</summary>
    public static async Task<int> RunAsync(CollectorOptions options, CancellationToken cancellationToken)
    {
        await using var node = await CollectorNode.StartAsync(options, Node, cancellationToken).ConfigureAwait(false);
        var system = node.System;
        var log = Logging.GetLogger(system, "collector");
        foreach (var warning in options.Warnings)
        {
            log.Warning("Schedule: {0}", warning);
        }

        // Files the node makes itself (node key, token file) are created 0600; these are the ones it found.
        foreach (var warning in SecurityWarnings.For(options))
        {
            log.Warning("Security: {0}", warning);
        }

        // The HTTP side (web console, /healthz, /readyz, /metrics) listens before the node joins, so probes see it starting;
        // the console's pages work once the command layer is attached below.
        var readiness = new Readiness(system);
        var console = new ConsoleCommands();
        await using var web = await NodeWebServer.StartAsync(options, readiness, console, log, cancellationToken).ConfigureAwait(false);
        await WaitForMemberUpAsync(system, cancellationToken).ConfigureAwait(false);
        var region = node.Accounts;
        // Wakes every account wherever sharding puts it (remember-entities keeps them alive from then on); all at once.
        // StartEntity, not ConfigureAccount: it crosses nodes in sharding's own format, and the hosting node gives the
        // entity its settings from its own copy of the config (secrets never travel between nodes).
        await Task.WhenAll(options.Accounts.Select(account => region.Ask<object>(new ShardRegion.StartEntity(account.Id), TimeSpan.FromSeconds(60)))).ConfigureAwait(false);

        var runtime = await RestoreRuntimeAccountsAsync(node, options, cancellationToken).ConfigureAwait(false);
        log.Info("Collector node {0} up with {1} account(s) from {2} and {3} added at run time; journal: {4}", system.Name, options.Accounts.Count, options.ConfigFile, runtime.Ids.Count, options.Journal.Provider);
        // SIGHUP reloads the accounts file (as daemons do); the handler only starts the reload.
        var file = new AccountsFile(options.ConfigFile, options.Accounts, region, log);
        using var hangup = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            _ = file.ReloadAsync(TimeSpan.FromSeconds(60));
        });
        var (dispatcher, token) = await CommandLayerAsync(node, options, runtime, file, cancellationToken).ConfigureAwait(false);
        await using (var server = StartCommandHost(options, dispatcher, token, log))
        {
            readiness.CommandHostReady(server is null ? "off (collector.command-host.port = 0)" : $"listening on {server.EndPoint}");
            console.Attach(dispatcher, options.Web.TokenLogin ? token : null);
            var listener = await node.Host.Services.GetRequiredService<ActorRegistry>().GetAsync<ObservationListener>(cancellationToken).ConfigureAwait(false);
            await using var sampler = AccountCountSampler.Start(console, listener, TimeSpan.FromSeconds(15));
            await node.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>
    /// The command layer both the command host and the web console serve: the palettes over the node's actors, and
    /// the token (the node file's, or the token file's, created 0600 at first start) when either needs one.
    /// </summary>
    private static async Task<(CommandDispatcher Dispatcher, string? Token)> CommandLayerAsync(CollectorNode node, CollectorOptions options, RuntimeAccountManager runtime, AccountsFile file, CancellationToken cancellationToken)
    {
        var commandHost = options.CommandHost;
        var tokens = await node.Host.Services.GetRequiredService<ActorRegistry>().GetAsync<ConnectionTokens>(cancellationToken).ConfigureAwait(false);
        var context = new CommandContext(node.System, node.Accounts, tokens, options) { Log = node.Log, Runtime = runtime, File = file };
        var dispatcher = new CommandDispatcher(
            [new CollectorPalette(), new TokensPalette(), new ClusterPalette(), new ShardPalette(), new ActorPalette(), new LogPalette(), new NodePalette(node.Environment.Online)],
            context);
        var needsToken = commandHost.Enabled || (options.Web.Enabled && options.Web.TokenLogin);
        return (dispatcher, needsToken ? commandHost.Token ?? CommandTokenFile.LoadOrCreate(commandHost.TokenFile) : null);
    }

    /// <summary>
    /// Starts the operator command host (collectorctl's endpoint) once the accounts are configured; null when
    /// disabled. Its certificate, when configured, is read here, and its SHA-256 logged for collectorctl's --tls-pin.
    /// </summary>
    private static CommandServer? StartCommandHost(CollectorOptions options, CommandDispatcher dispatcher, string? token, ILoggingAdapter log)
    {
        var commandHost = options.CommandHost;
        if (!commandHost.Enabled || token is null)
        {
            return null;
        }

        var certificate = commandHost.Tls?.Load();
        var authenticator = new CommandAuthenticator(token, commandHost.FailedAuthDelay, commandHost.FailedAuthMaxDelay, TimeProvider.System);
        try
        {
            var server = CommandServer.Start(commandHost, dispatcher, authenticator, certificate, log);
            var tls = certificate is null ? "plain TCP, loopback only" : $"TLS, certificate SHA-256 {certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256)}";
            var where = commandHost.Token is null ? $"token in {commandHost.TokenFile}" : "token from collector.command-host.token";
            log.Info("Command host listening on {0} (collectorctl; {1}; {2})", server.EndPoint, tls, where);
            return server;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            certificate?.Dispose();
            throw new ConfigurationException($"collector.command-host: cannot listen on {commandHost.Hostname}:{commandHost.Port}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Opens the node key (<c>collector.secrets.key-file</c>, created on first start) and configures every account
    /// added at run time from the registry's journal; a key that cannot open a password stops the start naming the file.
    /// </summary>
    private static async Task<RuntimeAccountManager> RestoreRuntimeAccountsAsync(CollectorNode node, CollectorOptions options, CancellationToken cancellationToken)
    {
        var key = NodeKey.LoadOrCreate(options.KeyFile);
        var registry = await node.Host.Services.GetRequiredService<ActorRegistry>().GetAsync<AccountRegistry>(cancellationToken).ConfigureAwait(false);
        var runtime = new RuntimeAccountManager(registry, node.Accounts, key, Path.GetDirectoryName(options.ConfigFile)!) { Policy = options.RuntimeAccounts };
        await runtime.RestoreAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        var log = Logging.GetLogger(node.System, "collector");
        foreach (var refused in runtime.RefusedAtRestore)
        {
            log.Error("Runtime accounts: {0}", refused);
        }

        return runtime;
    }

    /// <summary>Completes when this node is Up in its cluster (sharding needs that before it hosts entities).</summary>
    private static Task WaitForMemberUpAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        cancellationToken.Register(() => up.TrySetCanceled(cancellationToken));
        return up.Task;
    }
}
