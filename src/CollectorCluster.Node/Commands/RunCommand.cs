using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Hosting;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Tokens;
using CollectorCluster.Node.CommandHost;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CollectorCluster.Node.Commands;

/// <summary><c>collector run --config FILE</c>: the daemon. Collects on schedule until Ctrl+C or SIGTERM, which let the message in flight finish.</summary>
public static class RunCommand
{
    /// <summary>Runs until stopped.</summary>
    public static async Task<int> RunAsync(CollectorOptions options, CancellationToken cancellationToken)
    {
        // Checked before the node starts, so a bad command-host section is a configuration error (exit 2), not a half-started node.
        var commandHost = CommandHostOptions.FromConfig(options.Hocon);
        await using var node = await CollectorNode.StartAsync(options, AccountHosting.Sharded, cancellationToken).ConfigureAwait(false);
        var system = node.System;
        var log = Logging.GetLogger(system, "collector");
        foreach (var warning in options.Warnings)
        {
            log.Warning("Schedule: {0}", warning);
        }

        await WaitForMemberUpAsync(system, cancellationToken).ConfigureAwait(false);
        var region = node.Accounts;
        // Wakes every account wherever sharding puts it (remember-entities keeps them alive from then on); all at once.
        // StartEntity, not ConfigureAccount: it crosses nodes in sharding's own format, and the hosting node gives the
        // entity its settings from its own copy of the config (secrets never travel between nodes).
        await Task.WhenAll(options.Accounts.Select(account => region.Ask<object>(new ShardRegion.StartEntity(account.Id), TimeSpan.FromSeconds(60)))).ConfigureAwait(false);

        log.Info("Collector node {0} up with {1} account(s) from {2}; journal: {3}", system.Name, options.Accounts.Count, options.ConfigFile, options.Journal.Provider);
        await using (var server = await StartCommandHostAsync(node, options, commandHost, log, cancellationToken).ConfigureAwait(false))
        {
            await node.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    /// <summary>Starts the operator command host (collectorctl's endpoint) once the accounts are configured; null when disabled.</summary>
    private static async Task<CommandServer?> StartCommandHostAsync(CollectorNode node, CollectorOptions options, CommandHostOptions commandHost, ILoggingAdapter log, CancellationToken cancellationToken)
    {
        if (!commandHost.Enabled)
        {
            return null;
        }

        var tokens = await node.Host.Services.GetRequiredService<ActorRegistry>().GetAsync<ConnectionTokens>(cancellationToken).ConfigureAwait(false);
        var context = new CommandContext(node.System, node.Accounts, tokens, options);
        var dispatcher = new CommandDispatcher([new CollectorPalette(), new TokensPalette(), new ClusterPalette()], context, commandHost.Token);
        try
        {
            var server = CommandServer.Start(commandHost, dispatcher, log);
            log.Info("Command host listening on {0} (collectorctl)", server.EndPoint);
            return server;
        }
        catch (System.Net.Sockets.SocketException e)
        {
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
