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
using Microsoft.Extensions.Hosting;

namespace CollectorCluster.Node.Commands;

/// <summary><c>collector run --config FILE</c>: the daemon. Collects on schedule until Ctrl+C or SIGTERM, which let the message in flight finish.</summary>
public static class RunCommand
{
    /// <summary>How long one account or registry question of the start or a reload may take.</summary>
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The daemon's node, feature by feature: its actor system as the host builds it.</summary>
    public static AkkaConfigurationBuilder Node(AkkaConfigurationBuilder akka, CollectorOptions options, CollectionEnvironment env) => akka
        .WithNodeFile(options)
        .WithCollectorSerialization()
        .WithCollectorPersistence(options.Journal)
        .WithClusterRemoting(options)
        .WithClustering(options.Cluster)
        .JoinItselfWithoutSeedNodes()
        .WithServerBudgets(options, env)
        .WithConnectionTokens(options.Tokens, env)
        .WithRecipientShardRegion(options, env)
        .WithAccountShardRegion(options, env)
        .WithAccountRegistry()
        .WithObservation(options.LogFormat);

    /// <summary>Runs until stopped.</summary>
    public static async Task<int> RunAsync(CollectorOptions options, CancellationToken cancellationToken)
    {
        // The cluster key first: a node that cannot open what the cluster sealed must not join it.
        var key = CollectorHost.LoadKey(options);
        var environment = CollectorHost.Environment(options, key);
        await using var node = await CollectorNode.StartAsync(options, Node, cancellationToken, environment).ConfigureAwait(false);
        var system = node.System;
        var log = Logging.GetLogger(system, "collector");
        foreach (var warning in options.Warnings)
        {
            log.Warning("Schedule: {0}", warning);
        }

        log.Info("Cluster key {0} ({1}){2}", key.Id, key.Path, options.Tls.Enabled ? "; cluster TLS on, peers must present a certificate of the CA in " + options.Tls.CaCertificate : "");

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
        var registry = await node.Host.Services.GetRequiredService<ActorRegistry>().GetAsync<AccountRegistry>(cancellationToken).ConfigureAwait(false);
        var directory = Path.GetDirectoryName(options.ConfigFile)!;
        var cluster = new ClusterAccounts(registry, node.Accounts, key, directory, Cluster.Get(system).SelfAddress.ToString(), log);
        var file = new AccountsFile(options.ConfigFile, options.Accounts, cluster, log);
        var runtime = new RuntimeAccountManager(cluster, () => file.Ids, directory) { Policy = options.RuntimeAccounts };

        // Nothing above waited for the registry; the accounts are applied once it answers (the cluster has formed).
        await cluster.WaitForRegistryAsync(cancellationToken).ConfigureAwait(false);
        var woken = await cluster.WakeRuntimeAccountsAsync(ApplyTimeout).ConfigureAwait(false);
        await file.ApplyAtStartAsync(ApplyTimeout).ConfigureAwait(false);
        log.Info("Collector node {0} up with {1} account(s) from {2} and {3} added at run time; journal: {4}", system.Name, options.Accounts.Count, options.ConfigFile, woken.Count, options.Journal.Provider);

        var stopping = node.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        _ = RefreshDirectoryAsync(cluster, log, stopping);
        // SIGHUP reloads the accounts file for the whole cluster (as daemons do); the handler only starts the reload.
        using var hangup = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGHUP, signal =>
        {
            signal.Cancel = true;
            _ = ReloadAsync(file, log);
        });
        var (dispatcher, token) = await CommandLayerAsync(node, options, runtime, file, cancellationToken).ConfigureAwait(false);
        await using (var server = StartCommandHost(options, dispatcher, token, log))
        {
            readiness.CommandHostReady(server is null ? "off (collector.command-host.port = 0)" : $"listening on {server.EndPoint}");
            console.Attach(dispatcher, options.Web.TokenLogin ? token : null);
            var listener = await node.Host.Services.GetRequiredService<ActorRegistry>().GetAsync<ObservationListener>(cancellationToken).ConfigureAwait(false);
            await using var sampler = AccountCountSampler.Start(() => CollectorPalette.CountByStatusAsync(dispatcher.Context), listener, TimeSpan.FromSeconds(15));
            await node.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>SIGHUP: the reload logs what it did; a failure is logged too (nothing escapes a signal handler).</summary>
    private static async Task ReloadAsync(AccountsFile file, ILoggingAdapter log)
    {
        try
        {
            await file.ReloadAsync(ApplyTimeout).ConfigureAwait(false);
        }
        catch (ConfigurationException)
        {
            // Logged by the reload: the running accounts stay.
        }
        catch (Exception e) when (e is AskTimeoutException or RegistryRefusedException or InvalidOperationException)
        {
            log.Error("Reload of {0} failed, it may be partly applied; run it again: {1}", file.Path, e.Message);
        }
    }

    /// <summary>Keeps this node's copy of the cluster's account directory current (changes made at other nodes).</summary>
    private static async Task RefreshDirectoryAsync(ClusterAccounts cluster, ILoggingAdapter log, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(5), stopping).ConfigureAwait(false);
                await cluster.RefreshAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is AskTimeoutException or RegistryRefusedException or InvalidOperationException)
            {
                log.Debug("Account directory not refreshed: {0}", e.Message);
            }
        }
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

    /// <summary>Completes when this node is Up in its cluster (sharding needs that before it hosts entities).</summary>
    private static Task WaitForMemberUpAsync(ActorSystem system, CancellationToken cancellationToken)
    {
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        cancellationToken.Register(() => up.TrySetCanceled(cancellationToken));
        return up.Task;
    }
}
