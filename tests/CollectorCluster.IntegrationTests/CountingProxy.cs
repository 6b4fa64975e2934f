using System.Net;
using System.Net.Sockets;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// A TCP forwarder that counts connections open at once, so a test sees at the server side how many sessions
/// the collector really held together (the connection tokens' per-server cap), not what the collector reports.
/// </summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly int targetPort;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> pumps = [];
    private readonly Task acceptLoop;
    private int open;
    private int maxOpen;
    private int total;

    public CountingProxy(int targetPort)
    {
        this.targetPort = targetPort;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(512);
        acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>The most connections open at one time.</summary>
    public int MaxOpen => Volatile.Read(ref maxOpen);

    /// <summary>Connections accepted so far.</summary>
    public int Total => Volatile.Read(ref total);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await acceptLoop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        Task[] running;
        lock (pumps)
        {
            running = pumps.ToArray();
        }

        await Task.WhenAll(running);
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            var now = Interlocked.Increment(ref open);
            Interlocked.Increment(ref total);
            int seen;
            while (now > (seen = Volatile.Read(ref maxOpen)) && Interlocked.CompareExchange(ref maxOpen, now, seen) != seen)
            {
            }

            lock (pumps)
            {
                pumps.Add(Task.Run(() => PumpAsync(client)));
            }
        }
    }

    private async Task PumpAsync(TcpClient client)
    {
        var counted = 1;
        void Leave()
        {
            if (Interlocked.Exchange(ref counted, 0) == 1)
            {
                Interlocked.Decrement(ref open);
            }
        }

        try
        {
            using (client)
            using (var server = new TcpClient())
            {
                await server.ConnectAsync(IPAddress.Loopback, targetPort, stop.Token);
                var up = UpAsync(client.GetStream(), server.GetStream(), Leave);
                var down = server.GetStream().CopyToAsync(client.GetStream(), stop.Token);
                await Task.WhenAny(up, down);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            Leave();
        }
    }

    /// <summary>
    /// Client to server. The session stops counting when the client's QUIT passes, before it is forwarded: the
    /// client only gives its token back after the server answered that QUIT, so the count can never lag the tokens.
    /// </summary>
    private async Task UpAsync(NetworkStream from, NetworkStream to, Action leave)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await from.ReadAsync(buffer, stop.Token)) > 0)
        {
            if (System.Text.Encoding.ASCII.GetString(buffer, 0, read).Contains("QUIT", StringComparison.OrdinalIgnoreCase))
            {
                leave();
            }

            await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
        }
    }
}
