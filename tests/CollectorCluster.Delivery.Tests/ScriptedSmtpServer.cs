using System.Net.Sockets;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.Delivery.Tests;

/// <summary>
/// A protocol-level test double for the error paths a real server will not produce on demand (4xx at a chosen
/// step, a drop mid-DATA, a bad greeting): a 127.0.0.1:0 listener running one script per accepted connection, one
/// connection after another; <see cref="LoopbackServer.Completion"/> ends when every expected connection's script
/// has ended and surfaces their assertion failures.
/// </summary>
internal sealed class ScriptedSmtpServer(Func<SmtpScript, int, Task> script, int connections)
    : LoopbackServer(maxConnections: connections, oneAtATime: true)
{
    private readonly Func<SmtpScript, int, Task> script = script;

    /// <summary>Connections accepted so far.</summary>
    public int Connections => ConnectionsAccepted;

    /// <summary>Runs <paramref name="script"/> (given the connection's index) for each of <paramref name="connections"/> connections, one after another.</summary>
    public static ScriptedSmtpServer Start(Func<SmtpScript, int, Task> script, int connections = 1) => new(script, connections);

    /// <inheritdoc />
    protected override async Task ServeAsync(TcpClient client, int number, CancellationToken stopping)
    {
        await using var s = new SmtpScript(client);
        await script(s, number - 1).ConfigureAwait(false);
    }
}
