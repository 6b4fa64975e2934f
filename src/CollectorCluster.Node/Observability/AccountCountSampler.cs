using Akka.Actor;

namespace CollectorCluster.Node.Observability;

/// <summary>
/// Samples the accounts this node hosts for the <c>collector.accounts</c> gauge: every interval it counts them by
/// status word (as <c>collector list --node</c> shows them) and tells the <see cref="ObservationListener"/>. A gauge
/// callback cannot ask actors, so the count is read here, off the scrape.
/// </summary>
public sealed class AccountCountSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private AccountCountSampler(Func<Task<IReadOnlyDictionary<string, int>>> count, IActorRef listener, TimeSpan interval) =>
        _loop = Task.Run(() => LoopAsync(count, listener, interval));

    /// <summary>
    /// Starts sampling every <paramref name="interval"/> (the first at once); <paramref name="count"/> answers every
    /// status word, zeros too, so a status that empties shows 0 rather than vanishing from the series.
    /// </summary>
    public static AccountCountSampler Start(Func<Task<IReadOnlyDictionary<string, int>>> count, IActorRef listener, TimeSpan interval) => new(count, listener, interval);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync(Func<Task<IReadOnlyDictionary<string, int>>> count, IActorRef listener, TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            do
            {
                try
                {
                    listener.Tell(new AccountsCounted(await count().WaitAsync(_stop.Token).ConfigureAwait(false)));
                }
                catch (Exception e) when (e is not (OperationCanceledException or OutOfMemoryException))
                {
                    // A region or alarm that did not answer in time (a shard moving), or an account that failed to: the
                    // gauge keeps the last count until the next sample, and the sampler lives on (it did when the listing failed).
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
