using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;

namespace CollectorCluster.Node.Commands;

/// <summary><c>collector run --config FILE</c>: the daemon. Collects on schedule until Ctrl+C or SIGTERM, which let the message in flight finish.</summary>
public static class RunCommand
{
    /// <summary>Runs until stopped.</summary>
    public static async Task<int> RunAsync(CollectorOptions options, CancellationToken cancellationToken)
    {
        await using var node = await CollectorNode.StartAsync(options, AccountHosting.Sharded, cancellationToken).ConfigureAwait(false);
        var system = node.System;
        var log = Logging.GetLogger(system, "collector");
        foreach (var warning in options.Warnings)
        {
            log.Warning("Schedule: {0}", warning);
        }

        await WaitForMemberUpAsync(system, cancellationToken).ConfigureAwait(false);
        var region = node.Accounts;
        // Configuring wakes every account (remember-entities keeps them alive from then on); all at once, not one by one.
        await Task.WhenAll(options.Accounts.Select(account => region.Ask<AccountAck>(new ConfigureAccount(account), TimeSpan.FromSeconds(60)))).ConfigureAwait(false);

        log.Info("Collector node {0} up with {1} account(s) from {2}; journal: {3}", system.Name, options.Accounts.Count, options.ConfigFile, options.Journal.Provider);
        await node.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return 0;
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
