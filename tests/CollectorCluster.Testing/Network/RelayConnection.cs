using System.Net.Sockets;

namespace CollectorCluster.Testing.Network;

/// <summary>
/// One client connection passing through a <see cref="TcpRelay"/>: its number, its socket, the lines the client
/// has sent so far, and the ways a relay ends it (cut both directions, or reset as a dropped network would).
/// </summary>
public sealed class RelayConnection
{
    private readonly CancellationTokenSource cut;
    private readonly LineSplitter clientLines = new();

    internal RelayConnection(int number, TcpClient client, CancellationToken stopping)
    {
        Number = number;
        Client = client;
        cut = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    }

    /// <summary>1 for the first connection the relay accepted, 2 for the next, ...</summary>
    public int Number { get; }

    /// <summary>The client's side of the connection.</summary>
    public TcpClient Client { get; }

    /// <summary>True once <see cref="Cut"/> ran or the relay stopped.</summary>
    public bool IsCut => cut.IsCancellationRequested;

    /// <summary>Cancelled when the connection is cut or the relay stops.</summary>
    internal CancellationToken Token => cut.Token;

    /// <summary>Ends both directions at once; nothing more is forwarded either way.</summary>
    public void Cut() => cut.Cancel();

    /// <summary>Resets the client's connection (RST, not a clean close), as a dropped network would.</summary>
    public void Abort()
    {
        try
        {
            Client.Client.LingerState = new LingerOption(true, 0);
            Client.Client.Close();
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }
    }

    /// <summary>The lines the client completed with <paramref name="chunk"/>.</summary>
    internal List<string> TakeLines(ReadOnlySpan<byte> chunk) => clientLines.Take(chunk);

    internal void Release() => cut.Dispose();
}
