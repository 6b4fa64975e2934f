using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// A tiny TCP forwarder on 127.0.0.1 in front of Dovecot's plain port: it records every line the client sends
/// (so tests observe the RETR order at the protocol level) and can cap the server data it forwards (so a test
/// can freeze a collection mid-stream and kill the collector there, whatever the timing).
/// </summary>
internal sealed class Pop3Proxy : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly int targetPort;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<string> clientLines = new();
    private readonly List<Task> pumps = [];
    private readonly Task acceptLoop;
    private readonly Lock gate = new();
    private long forwarded;
    private long budget = long.MaxValue;
    private TaskCompletionSource open = CreateOpen();

    public Pop3Proxy(int targetPort)
    {
        this.targetPort = targetPort;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Every line clients sent, in order (without CRLF).</summary>
    public IReadOnlyList<string> ClientLines => clientLines.ToList();

    /// <summary>Bytes of server data forwarded to clients so far.</summary>
    public long ServerBytesForwarded => Interlocked.Read(ref forwarded);

    /// <summary>
    /// Forwards at most <paramref name="bytes"/> more bytes of server data, then holds the rest back until
    /// <see cref="Resume"/>: the client can never get further than that, whatever the timing.
    /// </summary>
    public void PauseAfter(long bytes)
    {
        lock (gate)
        {
            budget = bytes;
        }
    }

    /// <summary>Lifts the limit and releases what was held back.</summary>
    public void Resume()
    {
        lock (gate)
        {
            budget = long.MaxValue;
            open.TrySetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        Resume();
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

        await Task.WhenAll(running.Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default)));
        stop.Dispose();
    }

    private static TaskCompletionSource CreateOpen()
    {
        var source = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        source.SetResult();
        return source;
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            lock (pumps)
            {
                pumps.Add(Task.Run(() => ServeAsync(client)));
            }
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        using var server = new TcpClient();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, targetPort, connection.Token);
            var up = PumpClientToServerAsync(client.GetStream(), server.GetStream(), connection.Token);
            var down = PumpServerToClientAsync(server.GetStream(), client.GetStream(), connection.Token);
            await Task.WhenAny(up, down);
            await connection.CancelAsync();
            await Task.WhenAll(up, down).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Either side went away (e.g. the collector was killed).
        }
    }

    private async Task PumpClientToServerAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        var line = new StringBuilder();
        while (true)
        {
            var read = await from.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return;
            }

            for (var i = 0; i < read; i++)
            {
                var c = (char)buffer[i];
                if (c == '\n')
                {
                    clientLines.Enqueue(line.ToString().TrimEnd('\r'));
                    line.Clear();
                }
                else
                {
                    line.Append(c);
                }
            }

            await to.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
    }

    private async Task PumpServerToClientAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        while (true)
        {
            var read = await from.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return;
            }

            var offset = 0;
            while (offset < read)
            {
                var (allowed, wait) = Take(read - offset);
                if (allowed == 0)
                {
                    await wait.WaitAsync(cancellationToken);
                    continue;
                }

                await to.WriteAsync(buffer.AsMemory(offset, allowed), cancellationToken);
                offset += allowed;
                Interlocked.Add(ref forwarded, allowed);
            }
        }
    }

    /// <summary>Takes up to <paramref name="wanted"/> bytes of the budget; with none left, the task to wait for.</summary>
    private (int Allowed, Task Wait) Take(int wanted)
    {
        lock (gate)
        {
            if (budget == long.MaxValue)
            {
                return (wanted, Task.CompletedTask);
            }

            var allowed = (int)Math.Min(budget, wanted);
            budget -= allowed;
            if (allowed == 0 && open.Task.IsCompleted)
            {
                open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return (allowed, open.Task);
        }
    }
}
