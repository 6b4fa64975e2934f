using System.Collections.Concurrent;
using System.Net;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// A TCP forwarder that counts connections open at once, so a test sees at the server side how many sessions
/// the collector really held together (the connection tokens' per-server cap), not what the collector reports.
/// Several proxies on different loopback addresses (127.0.0.x) stand for several servers; a shared
/// <see cref="OpenConnections"/> counts across them (the node cap). <see cref="Hold"/> keeps new sessions waiting
/// for their greeting and <see cref="AbortAll"/> resets every open connection, to kill sessions mid-lease.
/// </summary>
internal sealed class CountingProxy(int targetPort, IPAddress? address = null, OpenConnections? shared = null)
    : TcpRelay(targetPort, address)
{
    private readonly OpenConnections count = new();
    private readonly OpenConnections? shared = shared;
    private readonly ConcurrentDictionary<int, bool> counted = new();
    private TaskCompletionSource released = NewGate(open: true);

    /// <summary>The most connections open at one time.</summary>
    public int MaxOpen => count.Max;

    /// <summary>Connections open now.</summary>
    public int OpenNow => count.Open;

    /// <summary>Connections accepted so far.</summary>
    public int Total => ConnectionsAccepted;

    /// <summary>New connections are accepted but not passed to the server (no greeting) until <see cref="Release"/>.</summary>
    public void Hold() => Interlocked.Exchange(ref released, NewGate(open: false));

    /// <summary>Lets held and new connections through.</summary>
    public void Release() => Volatile.Read(ref released).TrySetResult();

    /// <summary>Resets every open client connection (RST), as a dropped network would.</summary>
    public int AbortAll()
    {
        var open = Live();
        foreach (var connection in open)
        {
            connection.Abort();
        }

        return open.Count;
    }

    /// <inheritdoc />
    protected override async Task OnAcceptedAsync(RelayConnection connection, CancellationToken cancellationToken)
    {
        counted[connection.Number] = true;
        count.Enter();
        shared?.Enter();
        await Volatile.Read(ref released).Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The session stops counting when the client's QUIT passes, before it is forwarded: the client only gives its
    /// token back after the server answered that QUIT, so the count can never lag the tokens.
    /// </summary>
    protected override void OnClientLine(RelayConnection connection, string line)
    {
        if (line.Contains("QUIT", StringComparison.OrdinalIgnoreCase))
        {
            Leave(connection);
        }
    }

    /// <inheritdoc />
    protected override void OnClosed(RelayConnection connection) => Leave(connection);

    private void Leave(RelayConnection connection)
    {
        if (counted.TryRemove(connection.Number, out _))
        {
            count.Leave();
            shared?.Leave();
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
}
