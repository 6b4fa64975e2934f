using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace CollectorCluster.Testing.Tests;

/// <summary>
/// A deliberately dumb POP3 client over a raw stream, so the fixture is proven against Dovecot without
/// depending on the production POP3 code it is meant to test.
/// </summary>
internal sealed class RawPop3Connection : IAsyncDisposable
{
    private readonly TcpClient client;
    private readonly Stream stream;

    private RawPop3Connection(TcpClient client, Stream stream)
    {
        this.client = client;
        this.stream = stream;
    }

    public SslStream? Tls => stream as SslStream;

    public static async Task<RawPop3Connection> ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
            return new RawPop3Connection(client, client.GetStream());
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public static async Task<RawPop3Connection> ConnectTlsAsync(
        string host, int port, RemoteCertificateValidationCallback validate, CancellationToken cancellationToken)
    {
        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, cancellationToken);
            var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false, validate);
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = "localhost" }, cancellationToken);
            return new RawPop3Connection(client, ssl);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    public async Task SendAsync(string command, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), cancellationToken);
        await stream.FlushAsync(cancellationToken);
    }

    public async Task<string> CommandAsync(string command, CancellationToken cancellationToken)
    {
        await SendAsync(command, cancellationToken);
        return await ReadLineAsync(cancellationToken);
    }

    /// <summary>Reads one CRLF-terminated line (without the CRLF).</summary>
    public async Task<string> ReadLineAsync(CancellationToken cancellationToken) =>
        Encoding.ASCII.GetString(await ReadRawLineAsync(cancellationToken));

    /// <summary>Reads a multi-line body up to the lone "." and undoes dot-stuffing; returns the exact bytes.</summary>
    public async Task<byte[]> ReadMultiLineAsync(CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        while (true)
        {
            var line = await ReadRawLineAsync(cancellationToken);
            if (line.Length == 1 && line[0] == (byte)'.')
            {
                return body.ToArray();
            }

            var start = line.Length > 0 && line[0] == (byte)'.' ? 1 : 0;
            body.Write(line, start, line.Length - start);
            body.Write("\r\n"u8);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stream.DisposeAsync();
        client.Dispose();
    }

    private async Task<byte[]> ReadRawLineAsync(CancellationToken cancellationToken)
    {
        using var line = new MemoryStream();
        var one = new byte[1];
        while (true)
        {
            if (await stream.ReadAsync(one, cancellationToken) == 0)
            {
                throw new IOException("Server closed the connection mid-line.");
            }

            if (one[0] == (byte)'\n')
            {
                var bytes = line.ToArray();
                return bytes.Length > 0 && bytes[^1] == (byte)'\r' ? bytes[..^1] : bytes;
            }

            line.WriteByte(one[0]);
        }
    }
}
