using CollectorCluster.Testing.Network;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// A TCP forwarder in front of Dovecot that counts connections and cuts one of them (both directions, at once) as
/// soon as its client sends a RETR: a dropped link at a known point of a known session, whatever the timing.
/// </summary>
/// <param name="targetPort">Dovecot's plain port.</param>
/// <param name="dropConnection">The 1-based connection to cut at its first RETR; 0 = none.</param>
internal sealed class LinkDropProxy(int targetPort, int dropConnection) : TcpRelay(targetPort)
{
    private readonly int dropConnection = dropConnection;

    public int Connections => ConnectionsAccepted;

    /// <summary>Reset, not a clean close: the server never sees QUIT.</summary>
    protected override bool ResetOnClose => true;

    /// <inheritdoc />
    protected override void OnClientLine(RelayConnection connection, string line)
    {
        if (connection.Number == dropConnection && line.Contains("RETR", StringComparison.OrdinalIgnoreCase))
        {
            connection.Cut();
        }
    }
}
