using System.Net;
using System.Net.Sockets;

namespace CollectorCluster.Testing.Network;

/// <summary>
/// The one accept loop every test server and relay builds on: a listener on a loopback address and a port the OS
/// picks, each accepted connection served by <see cref="ServeAsync"/> on its own task, and a dispose that stops
/// the listener and waits for every connection to end. Subclasses keep only what makes them different (a relay,
/// a scripted dialogue, a fake mailbox).
/// </summary>
public abstract class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> connections = [];
    private readonly int maxConnections;
    private readonly bool oneAtATime;
    private readonly Task acceptLoop;
    private int accepted;
    private int disposed;

    /// <summary>Listens at once; the first connection can only come once the caller has read <see cref="Port"/>.</summary>
    /// <param name="address">A loopback address (default 127.0.0.1; 127.0.0.x stands for another server).</param>
    /// <param name="backlog">Pending connections the OS queues.</param>
    /// <param name="maxConnections">Connections accepted before the loop ends (scripted servers serve a known number).</param>
    /// <param name="oneAtATime">Serve a connection to its end before accepting the next; a failed one ends the loop.</param>
    protected LoopbackServer(IPAddress? address = null, int backlog = 512, int maxConnections = int.MaxValue, bool oneAtATime = false)
    {
        address ??= IPAddress.Loopback;
        if (!IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"Test servers bind loopback addresses only, not {address}.", nameof(address));
        }

        this.maxConnections = maxConnections;
        this.oneAtATime = oneAtATime;
        listener = new TcpListener(address, 0);
        listener.Start(backlog);
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = Task.Run(AcceptAsync);
    }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int ConnectionsAccepted => Volatile.Read(ref accepted);

    /// <summary>
    /// Ends when the server has accepted <c>maxConnections</c> and served each to its end; faults with the first
    /// connection that failed (a scripted server's assertion), so a test awaits it to see the server's side.
    /// </summary>
    public Task Completion => CompleteAsync();

    /// <summary>Cancelled when the server is disposed.</summary>
    protected CancellationToken Stopping => stop.Token;

    /// <summary>Stops listening, cancels <see cref="Stopping"/> and waits for every connection's task (their failures are for <see cref="Completion"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        await OnStoppingAsync().ConfigureAwait(false);
        await Quietly(acceptLoop).ConfigureAwait(false);
        await Quietly(Task.WhenAll(Running())).ConfigureAwait(false);
        stop.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Serves one accepted connection; the connection is disposed when the task ends.</summary>
    /// <param name="client">The accepted connection.</param>
    /// <param name="number">1 for the first connection accepted, 2 for the next, ...</param>
    /// <param name="stopping">Cancelled when the server is disposed.</param>
    protected abstract Task ServeAsync(TcpClient client, int number, CancellationToken stopping);

    /// <summary>Runs while disposing, after the listener stopped and before connections are awaited (e.g. to release held connections).</summary>
    protected virtual Task OnStoppingAsync() => Task.CompletedTask;

    private async Task AcceptAsync()
    {
        while (ConnectionsAccepted < maxConnections && !stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token).ConfigureAwait(false);
            var number = Interlocked.Increment(ref accepted);
            var connection = RunAsync(client, number);
            lock (connections)
            {
                connections.RemoveAll(t => t.IsCompletedSuccessfully);
                connections.Add(connection);
            }

            if (oneAtATime)
            {
                await connection.ConfigureAwait(false);
            }
        }
    }

    private async Task RunAsync(TcpClient client, int number)
    {
        using (client)
        {
            await ServeAsync(client, number, stop.Token).ConfigureAwait(false);
        }
    }

    private async Task CompleteAsync()
    {
        await acceptLoop.ConfigureAwait(false);
        await Task.WhenAll(Running()).ConfigureAwait(false);
    }

    private Task[] Running()
    {
        lock (connections)
        {
            return [.. connections];
        }
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Dispose only waits; a test that cares about a connection's outcome awaits Completion.
        }
    }
}
