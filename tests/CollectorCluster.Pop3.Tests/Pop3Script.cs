using System.Net.Sockets;
using System.Text;

namespace CollectorCluster.Pop3.Tests;

/// <summary>The server side of one scripted connection: expect a command, send a reply.</summary>
public sealed class Pop3Script : IAsyncDisposable
{
    private readonly TcpClient _client;
    private readonly byte[] _one = new byte[1];

    /// <summary>Wraps the accepted connection.</summary>
    public Pop3Script(TcpClient client, Stream stream)
    {
        _client = client;
        Stream = stream;
    }

    /// <summary>The connection's stream (TLS when the server runs implicit TLS or after <see cref="UpgradeToTlsAsync"/>).</summary>
    public Stream Stream { get; private set; }

    /// <summary>Server side of STLS: TLS handshake over the current stream.</summary>
    public async Task UpgradeToTlsAsync(System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var ssl = new System.Net.Security.SslStream(Stream, false);
        await ssl.AuthenticateAsServerAsync(certificate).ConfigureAwait(false);
        Stream = ssl;
    }

    /// <summary>Sends one line (CRLF added).</summary>
    public Task SendAsync(string line) => SendRawAsync(Encoding.UTF8.GetBytes(line + "\r\n"));

    /// <summary>Sends bytes as they are.</summary>
    public async Task SendRawAsync(ReadOnlyMemory<byte> bytes)
    {
        await Stream.WriteAsync(bytes).ConfigureAwait(false);
        await Stream.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>Reads one command line (without CRLF); null at end of stream.</summary>
    public async Task<string?> ReadLineAsync()
    {
        var line = new StringBuilder();
        while (true)
        {
            var n = await Stream.ReadAsync(_one).ConfigureAwait(false);
            if (n == 0)
            {
                return null;
            }

            if (_one[0] == (byte)'\n')
            {
                return line.ToString().TrimEnd('\r');
            }

            line.Append((char)_one[0]);
        }
    }

    /// <summary>Reads one command and asserts it.</summary>
    public async Task ExpectAsync(string command)
    {
        var line = await ReadLineAsync().ConfigureAwait(false);
        Assert.Equal(command, line);
    }

    /// <summary>Expects a command and answers it.</summary>
    public async Task ExpectAsync(string command, string reply)
    {
        await ExpectAsync(command).ConfigureAwait(false);
        await SendAsync(reply).ConfigureAwait(false);
    }

    /// <summary>Greeting, CAPA, USER/PASS, CAPA: the common path to the TRANSACTION state.</summary>
    public async Task LoginAsync(string capa = "UIDL\r\nTOP\r\nRESP-CODES", string user = "fred", string password = "s3cret")
    {
        await SendAsync("+OK POP3 ready").ConfigureAwait(false);
        await ExpectAsync("CAPA", "+OK\r\n" + capa + "\r\n.").ConfigureAwait(false);
        await ExpectAsync("USER " + user, "+OK").ConfigureAwait(false);
        await ExpectAsync("PASS " + password, "+OK logged in").ConfigureAwait(false);
        await ExpectAsync("CAPA", "+OK\r\n" + capa + "\r\n.").ConfigureAwait(false);
    }

    /// <summary>Sends a RETR reply: +OK, the body dot-stuffed, the terminator.</summary>
    public Task SendMessageAsync(string body)
    {
        var sb = new StringBuilder("+OK message follows\r\n");
        foreach (var line in body.Split("\r\n")[..^1])
        {
            sb.Append(line.StartsWith('.') ? "." + line : line).Append("\r\n");
        }

        sb.Append(".\r\n");
        return SendRawAsync(Encoding.UTF8.GetBytes(sb.ToString()));
    }

    /// <summary>Closes the connection abruptly.</summary>
    public void Drop() => _client.Client.Close(0);

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Stream.DisposeAsync().ConfigureAwait(false);
}
