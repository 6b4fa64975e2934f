using Akka.Actor;
using Akka.Hosting;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollectorCluster.Node.Commands;

/// <summary>
/// <c>collector once --config FILE</c>: collect every enabled account once, print a line each, exit 0 only if all
/// succeeded. Accounts are hosted locally (no cluster to form); journals are the same as the daemon's.
/// </summary>
public static class OnceCommand
{
    /// <summary>A one-shot run's node: the daemon's features without remoting, the cluster and the registry; accounts hosted locally.</summary>
    public static AkkaConfigurationBuilder Node(AkkaConfigurationBuilder akka, CollectorOptions options, CollectionEnvironment env) => akka
        .WithNodeFile(options)
        .WithCollectorSerialization()
        .WithCollectorPersistence(options.Journal)
        .WithConnectionTokens(options.Tokens, env)
        .WithLocalRecipients(env)
        .WithLocalAccounts(env);

    /// <summary>Runs the command.</summary>
    public static async Task<int> RunAsync(CollectorOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        await using var node = await CollectorNode.StartAsync(options, Node, cancellationToken).ConfigureAwait(false);
        var region = node.Accounts;
        var interrupted = false;
        using var onStop = node.Host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.Register(() =>
        {
            interrupted = true;
            region.Tell(StopAccount.Instance);
        });

        var accounts = options.Accounts.Where(a => a.Enabled).ToList();
        var results = await Task.WhenAll(accounts.Select(async account =>
        {
            await region.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), cancellationToken).ConfigureAwait(false);
            return await region.Ask<CollectionResult>(new CollectNow(account.Id), cancellationToken).ConfigureAwait(false);
        })).ConfigureAwait(false);
        foreach (var result in results)
        {
            await output.WriteLineAsync(SummaryLine.Format(result)).ConfigureAwait(false);
        }

        var failed = results.Count(r => !r.Succeeded);
        await output.WriteLineAsync($"{results.Length} account(s): {results.Length - failed} succeeded, {failed} failed; {results.Sum(r => r.Collected)} message(s), {results.Sum(r => r.Bytes)} bytes collected").ConfigureAwait(false);
        if (interrupted)
        {
            await output.WriteLineAsync("interrupted: sessions finished the message in flight and committed; run again to collect the rest").ConfigureAwait(false);
        }

        return failed == 0 && !interrupted ? 0 : 1;
    }
}
