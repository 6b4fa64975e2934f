using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace CollectorCluster.Testing.Network;

/// <summary>
/// The server side of one accepted test connection, as a line protocol sees it: send a line or raw bytes, read a
/// line, upgrade to TLS, drop the connection abruptly. Scripted and fake servers (POP3, SMTP, LMTP) build their
/// dialogue on it and keep only their protocol's own steps.
/// </summary>
public class ServerConnection : IAsyncDisposable
{
    private readonly TcpClient client;
    private readonly byte[] buffer = new byte[4096];
    private int start;
    private int end;

    /// <summary>Wraps an accepted connection; <paramref name="stream"/> is its stream (already TLS for implicit TLS).</summary>
    public ServerConnection(TcpClient client, Stream stream)
    {
        this.client = client;
        Stream = stream;
    }

    /// <summary>The connection's stream (TLS after <see cref="UpgradeToTlsAsync"/>).</summary>
    public Stream Stream { get; private set; }

    /// <summary>Sends one line (CRLF added).</summary>
    public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    /// <summary>Sends bytes as they are.</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await Stream.WriteAsync(bytes).ConfigureAwait(false);
        await Stream.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Reads one line (CRLF or LF stripped, bytes as Latin-1); null when the client closed or reset the connection.</summary>
    public async Task<string?> ReadLineAsync()
    {
        var line = new StringBuilder();
        while (true)
        {
            var lf = Array.IndexOf(buffer, (byte)'\n', start, end - start);
            if (lf >= 0)
            {
                line.Append(Encoding.Latin1.GetString(buffer, start, lf - start));
                start = lf + 1;
                return line.ToString().TrimEnd('\r');
            }

            line.Append(Encoding.Latin1.GetString(buffer, start, end - start));
            start = end = 0;
            int read;
            try
            {
                read = await Stream.ReadAsync(buffer).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            end = read;
        }
    }

    /// <summary>Server side of STLS/STARTTLS: a TLS handshake over the current stream.</summary>
    public async Task UpgradeToTlsAsync(X509Certificate2 certificate)
    {
        if (end != start)
        {
            throw new InvalidOperationException("The client sent data after the command that starts TLS, before the handshake.");
        }

        var ssl = new SslStream(Stream, leaveInnerStreamOpen: false);
        await ssl.AuthenticateAsServerAsync(certificate).ConfigureAwait(false);
        Stream = ssl;
    }

    /// <summary>Closes the connection abruptly (RST).</summary>
    public void Drop() => client.Client.Close(0);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }
}
