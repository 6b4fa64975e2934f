using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// A TCP forwarder in front of Dovecot that counts connections and cuts one of them (both directions, at once) as
/// soon as its client sends a RETR: a dropped link at a known point of a known session, whatever the timing.
/// </summary>
internal sealed class LinkDropProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly int _dropConnection;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private int _connections;

    /// <param name="targetPort">Dovecot's plain port.</param>
    /// <param name="dropConnection">The 1-based connection to cut at its first RETR; 0 = none.</param>
    public LinkDropProxy(int targetPort, int dropConnection)
    {
        _targetPort = targetPort;
        _dropConnection = dropConnection;
        _listener.Start();
        _accept = Task.Run(AcceptAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public int Connections => Volatile.Read(ref _connections);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var number = Interlocked.Increment(ref _connections);
            _ = Task.Run(() => RelayAsync(client, number == _dropConnection));
        }
    }

    private async Task RelayAsync(TcpClient client, bool drop)
    {
        using var server = new TcpClient();
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        using (client)
        {
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort, cut.Token);
                var up = PumpAsync(client.GetStream(), server.GetStream(), drop ? cut : null, cut.Token);
                var down = PumpAsync(server.GetStream(), client.GetStream(), null, cut.Token);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
            finally
            {
                await cut.CancelAsync();
                client.Client.Close(0); // reset, not a clean close: the server never sees QUIT
                server.Client.Close(0);
            }
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationTokenSource? cutOnRetr, CancellationToken ct)
    {
        var buffer = new byte[16384];
        int n;
        while ((n = await from.ReadAsync(buffer, ct)) > 0)
        {
            if (cutOnRetr is not null && Encoding.ASCII.GetString(buffer, 0, n).Contains("RETR", StringComparison.OrdinalIgnoreCase))
            {
                await cutOnRetr.CancelAsync();
                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, n), ct);
        }
    }
}
