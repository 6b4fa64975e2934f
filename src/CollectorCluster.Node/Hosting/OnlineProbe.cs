using System.Net.Sockets;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Node.Configuration;
using Microsoft.Extensions.Hosting;

namespace CollectorCluster.Node.Hosting;

/// <summary>
/// Sets the node's online condition from a TCP connect to a configured host and port, once per interval (a
/// <see cref="PeriodicTimer"/>, not a loop that spins). A service of the node's host: it runs while the host does,
/// and does nothing when no probe is configured.
/// </summary>
public sealed class OnlineProbe(OnlineOptions options, NodeOnline online, TimeProvider clock) : BackgroundService
{
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
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.HasProbe)
        {
            return;
        }

        var timeout = options.ProbeInterval < TimeSpan.FromSeconds(10) ? options.ProbeInterval : TimeSpan.FromSeconds(10);
        using var timer = new PeriodicTimer(options.ProbeInterval, clock);
        try
        {
            do
            {
                var up = await ProbeOnceAsync(options.ProbeHost!, options.ProbePort, timeout, stoppingToken).ConfigureAwait(false);
                online.Set(up, clock.GetUtcNow());
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }
}
