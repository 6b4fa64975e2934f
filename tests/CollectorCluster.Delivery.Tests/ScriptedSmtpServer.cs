using System.Net;
using System.Net.Sockets;

namespace CollectorCluster.Delivery.Tests;

/// <summary>
/// A protocol-level test double for the error paths a real server will not produce on demand (4xx at a chosen
/// step, a drop mid-DATA, a bad greeting): a 127.0.0.1:0 listener running one script per accepted connection.
/// </summary>
internal sealed class ScriptedSmtpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Task _run;
    private int _connections;

    private ScriptedSmtpServer(Func<SmtpScript, int, Task> script, int connections)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _run = RunAsync(script, connections);
    }

    /// <summary>The port the server listens on.</summary>
    public int Port { get; }

    /// <summary>Connections accepted so far.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Ends when every expected connection's script has ended; surfaces their assertion failures.</summary>
    public Task Completion => _run;

    /// <summary>Runs <paramref name="script"/> (given the connection's index) for each of <paramref name="connections"/> connections, one after another.</summary>
    public static ScriptedSmtpServer Start(Func<SmtpScript, int, Task> script, int connections = 1) => new(script, connections);

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        try
        {
            await _run.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Completion is awaited (and asserted) by the tests that care.
        }
    }

    private async Task RunAsync(Func<SmtpScript, int, Task> script, int connections)
    {
        for (var i = 0; i < connections; i++)
        {
            using var client = await _listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _connections);
            await using var s = new SmtpScript(client);
            await script(s, i).ConfigureAwait(false);
        }
    }
}
