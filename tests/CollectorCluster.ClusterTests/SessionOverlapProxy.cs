using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CollectorCluster.ClusterTests;

/// <summary>
/// A TCP forwarder in front of the POP3 server that reads the client's <c>USER</c> line of each connection and
/// counts, per mailbox, how many sessions are open at once: the server-side proof that no mailbox was ever in two
/// sessions at once, whatever the nodes believe.
/// </summary>
internal sealed class SessionOverlapProxy : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly int targetPort;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> pumps = [];
    private readonly Dictionary<string, int> open = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> maxOpen = new(StringComparer.Ordinal);
    private readonly Task acceptLoop;
    private int sessions;

    public SessionOverlapProxy(int targetPort)
    {
        this.targetPort = targetPort;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(1024);
        acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Connections that sent a USER line.</summary>
    public int Sessions => Volatile.Read(ref sessions);

    /// <summary>Mailboxes that were ever in more than one session at once, with their peak.</summary>
    public IReadOnlyDictionary<string, int> Overlaps()
    {
        lock (open)
        {
            return maxOpen.Where(kv => kv.Value > 1).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        }
    }

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
            running = [.. pumps];
        }

        await Task.WhenAll(running);
        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            var pump = Task.Run(() => ServeAsync(client));
            lock (pumps)
            {
                pumps.RemoveAll(t => t.IsCompleted);
                pumps.Add(pump);
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        string? user = null;
        try
        {
            using (client)
            using (var server = new TcpClient())
            {
                await server.ConnectAsync(IPAddress.Loopback, targetPort, stop.Token);
                var clientStream = client.GetStream();
                var serverStream = server.GetStream();
                var down = serverStream.CopyToAsync(clientStream, stop.Token);
                var up = PumpUpAsync(clientStream, serverStream, name => user = Opened(name));
                await Task.WhenAny(down, up);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // A connection cut by either side (kill -9 of a node included) ends its session.
        }
        finally
        {
            if (user is not null)
            {
                lock (open)
                {
                    open[user]--;
                }
            }
        }
    }

    /// <summary>Copies client → server, reading lines until the USER command names the mailbox.</summary>
    private async Task PumpUpAsync(NetworkStream from, NetworkStream to, Action<string> onUser)
    {
        var buffer = new byte[8192];
        var pending = new StringBuilder();
        var named = false;
        while (true)
        {
            var read = await from.ReadAsync(buffer, stop.Token);
            if (read == 0)
            {
                return;
            }

            if (!named)
            {
                pending.Append(Encoding.ASCII.GetString(buffer, 0, read));
                var text = pending.ToString();
                foreach (var line in text.Split("\r\n")[..^1])
                {
                    if (line.StartsWith("USER ", StringComparison.OrdinalIgnoreCase))
                    {
                        onUser(line[5..].Trim());
                        named = true;
                        break;
                    }
                }
            }

            await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
        }
    }

    private string Opened(string user)
    {
        Interlocked.Increment(ref sessions);
        lock (open)
        {
            var now = open.GetValueOrDefault(user) + 1;
            open[user] = now;
            maxOpen[user] = Math.Max(maxOpen.GetValueOrDefault(user), now);
        }

        return user;
    }
}
