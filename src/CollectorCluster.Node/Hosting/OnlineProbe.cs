using System.Net.Sockets;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Hosting;

/// <summary>
/// Sets the node's online condition from a TCP connect to a configured host and port, once per interval (a
/// <see cref="PeriodicTimer"/>, not a loop that spins). Started with the node, stopped when it is disposed.
/// </summary>
public sealed class OnlineProbe : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private OnlineProbe(OnlineOptions options, NodeOnline online, TimeProvider clock) =>
        _loop = Task.Run(() => LoopAsync(options, online, clock, _stop.Token));

    /// <summary>Starts the probe when one is configured; null otherwise.</summary>
    public static OnlineProbe? Start(OnlineOptions options, NodeOnline online, TimeProvider clock) =>
        options.HasProbe ? new OnlineProbe(options, online, clock) : null;

    /// <summary>One probe: true when a TCP connection to <paramref name="host"/>:<paramref name="port"/> opens within <paramref name="timeout"/>.</summary>
    public static async Task<bool> ProbeOnceAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, bounded.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private static async Task LoopAsync(OnlineOptions options, NodeOnline online, TimeProvider clock, CancellationToken stop)
    {
        var timeout = options.ProbeInterval < TimeSpan.FromSeconds(10) ? options.ProbeInterval : TimeSpan.FromSeconds(10);
        using var timer = new PeriodicTimer(options.ProbeInterval, clock);
        do
        {
            var up = await ProbeOnceAsync(options.ProbeHost!, options.ProbePort, timeout, stop).ConfigureAwait(false);
            online.Set(up, clock.GetUtcNow());
        }
        while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
    }
}
