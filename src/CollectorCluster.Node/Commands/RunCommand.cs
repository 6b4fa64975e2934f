using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Hosting;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectorCluster.Node.Commands;

/// <summary><c>collector run --config FILE</c>: the daemon. Collects on schedule until Ctrl+C or SIGTERM, which let the message in flight finish.</summary>
public static class RunCommand
{
    /// <summary>Runs until stopped.</summary>
    public static async Task<int> RunAsync(CollectorOptions options, CancellationToken cancellationToken)
    {
        using var journalLock = await JournalPreparation.PrepareAsync(options.Journal, cancellationToken).ConfigureAwait(false);
        var env = CollectorHost.Environment(options);
        using var host = CollectorHost.Build(options, env, AccountHosting.Sharded);
        await host.StartAsync(cancellationToken).ConfigureAwait(false);
        var system = host.Services.GetRequiredService<ActorSystem>();
        var log = Logging.GetLogger(system, "collector");
        foreach (var warning in options.Warnings)
        {
            log.Warning("Schedule: {0}", warning);
        }

        await WaitForMemberUpAsync(system, cancellationToken).ConfigureAwait(false);
        var region = await host.Services.GetRequiredService<ActorRegistry>().GetAsync<AccountRegion>(cancellationToken).ConfigureAwait(false);
        foreach (var account in options.Accounts)
        {
            await region.Ask<AccountAck>(new ConfigureAccount(account), TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        }

        log.Info("Collector node {0} up with {1} account(s) from {2}; journal: {3}", system.Name, options.Accounts.Count, options.ConfigFile, options.Journal.Provider);
        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
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
