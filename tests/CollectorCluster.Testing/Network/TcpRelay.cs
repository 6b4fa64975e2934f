using System.Net;
using System.Net.Sockets;

namespace CollectorCluster.Testing.Network;

/// <summary>
/// A TCP forwarder on loopback in front of a server on 127.0.0.1 (the private Dovecot): each accepted connection is
/// relayed both ways until either side ends it. The hooks are where a test relay observes or bends the traffic
/// (count sessions, record commands, hold data back, cut the link at a chosen command) without timing assumptions.
/// </summary>
public abstract class TcpRelay : LoopbackServer
{
    private const int ChunkSize = 16 * 1024;
    private readonly List<RelayConnection> live = [];

    /// <summary>Starts relaying to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    protected TcpRelay(int targetPort, IPAddress? address = null, int backlog = 512)
        : base(address, backlog)
    {
        TargetPort = targetPort;
    }

    /// <summary>The port on 127.0.0.1 connections are relayed to.</summary>
    public int TargetPort { get; }

    /// <summary>When true, both sockets are reset (RST) when a connection ends, so the server never sees a clean close.</summary>
    protected virtual bool ResetOnClose => false;

    /// <summary>The connections open now.</summary>
    protected IReadOnlyList<RelayConnection> Live()
    {
        lock (live)
        {
            return [.. live];
        }
    }

    /// <summary>A connection was accepted; runs before the relay connects to the server (a relay may hold it here).</summary>
    protected virtual Task OnAcceptedAsync(RelayConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A complete line the client sent, seen before the data holding its line end is forwarded. <see cref="RelayConnection.Cut"/> here forwards nothing more.</summary>
    protected virtual void OnClientLine(RelayConnection connection, string line)
    {
    }

    /// <summary>Forwards server data to the client; a relay may hold it back or split it.</summary>
    protected virtual async Task ForwardToClientAsync(RelayConnection connection, ReadOnlyMemory<byte> data, Stream client, CancellationToken cancellationToken) =>
        await client.WriteAsync(data, cancellationToken).ConfigureAwait(false);

    /// <summary>The connection ended, whichever side ended it (runs once, also after a failed connect).</summary>
    protected virtual void OnClosed(RelayConnection connection)
    {
    }

    /// <inheritdoc />
    protected sealed override async Task ServeAsync(TcpClient client, int number, CancellationToken stopping)
    {
        var connection = new RelayConnection(number, client, stopping);
        lock (live)
        {
            live.Add(connection);
        }

        using var server = new TcpClient();
        try
        {
            await OnAcceptedAsync(connection, connection.Token).ConfigureAwait(false);
            await server.ConnectAsync(IPAddress.Loopback, TargetPort, connection.Token).ConfigureAwait(false);
            var up = ClientToServerAsync(connection, client.GetStream(), server.GetStream());
            var down = ServerToClientAsync(connection, server.GetStream(), client.GetStream());
            await Task.WhenAny(up, down).ConfigureAwait(false);

            // One direction ended: end the other too, then let both pumps finish.
            connection.Cut();
            Close(client, server);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // Either side went away (a collector killed, a link cut): the connection simply ends.
        }
        finally
        {
            Close(client, server);
            lock (live)
            {
                live.Remove(connection);
            }

            OnClosed(connection);
            connection.Release();
        }
    }

    private async Task ClientToServerAsync(RelayConnection connection, NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[ChunkSize];
        int read;
        while ((read = await from.ReadAsync(buffer, connection.Token).ConfigureAwait(false)) > 0)
        {
            foreach (var line in connection.TakeLines(buffer.AsSpan(0, read)))
            {
                OnClientLine(connection, line);
            }

            if (connection.IsCut)
            {
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), connection.Token).ConfigureAwait(false);
        }
    }

    private async Task ServerToClientAsync(RelayConnection connection, NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[ChunkSize];
        int read;
        while ((read = await from.ReadAsync(buffer, connection.Token).ConfigureAwait(false)) > 0)
        {
            await ForwardToClientAsync(connection, buffer.AsMemory(0, read), to, connection.Token).ConfigureAwait(false);
        }
    }

    private void Close(TcpClient client, TcpClient server)
    {
        if (ResetOnClose)
        {
            // Close(0) resets: the server sees the connection drop, never a QUIT or a clean close.
            client.Client?.Close(0);
            server.Client?.Close(0);
        }

        client.Close();
        server.Close();
    }
}
