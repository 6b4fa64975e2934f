using System.Net;
using System.Net.Sockets;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// A TCP forwarder that counts connections open at once, so a test sees at the server side how many sessions
/// the collector really held together (the connection tokens' per-server cap), not what the collector reports.
/// Several proxies on different loopback addresses (127.0.0.x) stand for several servers; a shared
/// <see cref="OpenConnections"/> counts across them (the node cap). <see cref="Hold"/> keeps new sessions waiting
/// for their greeting and <see cref="AbortAll"/> resets every open connection, to kill sessions mid-lease.
/// </summary>
internal sealed class CountingProxy : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly int targetPort;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> pumps = [];
    private readonly List<TcpClient> clients = [];
    private readonly OpenConnections count = new();
    private readonly OpenConnections? shared;
    private readonly Task acceptLoop;
    private TaskCompletionSource released = NewGate(open: true);
    private int total;

    public CountingProxy(int targetPort, IPAddress? address = null, OpenConnections? shared = null)
    {
        this.targetPort = targetPort;
        this.shared = shared;
        listener = new TcpListener(address ?? IPAddress.Loopback, 0);
        listener.Start(512);
        acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>The most connections open at one time.</summary>
    public int MaxOpen => count.Max;

    /// <summary>Connections open now.</summary>
    public int OpenNow => count.Open;

    /// <summary>New connections are accepted but not passed to the server (no greeting) until <see cref="Release"/>.</summary>
    public void Hold() => Interlocked.Exchange(ref released, NewGate(open: false));

    /// <summary>Lets held and new connections through.</summary>
    public void Release() => Volatile.Read(ref released).TrySetResult();

    /// <summary>Resets every open client connection (RST), as a dropped network would.</summary>
    public int AbortAll()
    {
        lock (clients)
        {
            foreach (var client in clients)
            {
                try
                {
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Client.Close();
                }
                catch (ObjectDisposedException)
                {
                }
            }

            var n = clients.Count;
            clients.Clear();
            return n;
        }
    }

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
            count.Enter();
            shared?.Enter();
            Interlocked.Increment(ref total);
            lock (clients)
            {
                clients.Add(client);
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
                count.Leave();
                shared?.Leave();
            }
        }

        try
        {
            using (client)
            using (var server = new TcpClient())
            {
                await Volatile.Read(ref released).Task.WaitAsync(stop.Token);
                await server.ConnectAsync(IPAddress.Loopback, targetPort, stop.Token);
                var up = UpAsync(client.GetStream(), server.GetStream(), Leave);
                var down = server.GetStream().CopyToAsync(client.GetStream(), stop.Token);
                await Task.WhenAny(up, down);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
        }
        finally
        {
            Leave();
            lock (clients)
            {
                clients.Remove(client);
            }
        }
    }

    private static TaskCompletionSource NewGate(bool open)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (open)
        {
            gate.TrySetResult();
        }

        return gate;
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
