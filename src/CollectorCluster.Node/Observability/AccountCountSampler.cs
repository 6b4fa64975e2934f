using System.Text.Json.Nodes;
using Akka.Actor;
using CollectorCluster.Node.Web;

namespace CollectorCluster.Node.Observability;

/// <summary>
/// Samples the accounts this node hosts for the <c>collector.accounts</c> gauge: every interval it runs
/// <c>collector list --node</c> through the command layer and tells the <see cref="ObservationListener"/> how many
/// there are of each status. A gauge callback cannot ask actors, so the count is read here, off the scrape.
/// </summary>
public sealed class AccountCountSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private AccountCountSampler(ConsoleCommands commands, IActorRef listener, TimeSpan interval) =>
        _loop = Task.Run(() => LoopAsync(commands, listener, interval));

    /// <summary>Starts sampling every <paramref name="interval"/> (the first at once).</summary>
    public static AccountCountSampler Start(ConsoleCommands commands, IActorRef listener, TimeSpan interval) => new(commands, listener, interval);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync(ConsoleCommands commands, IActorRef listener, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                var response = await commands.RunAsync(["collector", "list", "--node"], _stop.Token).ConfigureAwait(false);
                if (response.Ok && response.Data is JsonArray accounts)
                {
                    // Every status word, zeros too, so a status that empties shows 0 rather than vanishing from the series.
                    var counts = MailboxesPage.Statuses.ToDictionary(s => s, _ => 0, StringComparer.Ordinal);
                    foreach (var status in accounts.Select(a => a?["status"]?.GetValue<string>() ?? "unknown"))
                    {
                        counts[status] = counts.GetValueOrDefault(status) + 1;
                    }

                    listener.Tell(new AccountsCounted(counts));
                }
            }
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The node is stopping.
        }
    }
}
