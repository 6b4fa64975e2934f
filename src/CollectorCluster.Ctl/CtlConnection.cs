using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using CollectorCluster.Wire;

namespace CollectorCluster.Ctl;

/// <summary>
/// One connection to a node's command host: TCP, or TLS when asked (<c>tls://host:port</c>, <c>--tls-pin</c>), the certificate
/// checked against the system's trust store and host name, or pinned by SHA-256. Plain TCP only to this machine:
/// the token is never sent in clear over a network. Lines are read with the wire's bound.
/// </summary>
public sealed class CtlConnection : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8 = new(false);
    private readonly TcpClient _client;
    private readonly Stream _stream;
    private readonly WireLineReader _reader;

    private CtlConnection(TcpClient client, Stream stream)
    {
        _client = client;
        _stream = stream;
        _reader = new WireLineReader(stream, CommandWire.MaxResponseBytes);
    }

    /// <summary>True once a request was sent on it (a fresh connection is not checked for <see cref="Spent"/>: TLS may still have handshake messages pending).</summary>
    public bool Used { get; private set; }

    /// <summary>
    /// True when the node spoke unprompted (its idle-timeout notice) or closed the connection since the last answer:
    /// the connection is spent, and an interactive session opens a new one before its next command.
    /// </summary>
    public bool Spent
    {
        get
        {
            try
            {
                return _client.Client.Poll(0, SelectMode.SelectRead);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return true;
            }
        }
    }

    /// <summary>True when <paramref name="host"/> is this machine (a loopback address or <c>localhost</c>).</summary>
    public static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));

    /// <summary>Connects; throws <see cref="CtlException"/> with exit code 3 (unreachable, TLS refused) or 2 (plain TCP off this machine).</summary>
    /// <param name="host">The node's host.</param>
    /// <param name="port">The command host's port.</param>
    /// <param name="tls">Whether to speak TLS.</param>
    /// <param name="pin">The SHA-256 (hex) the node's certificate must have; null: the system's trust store and the host name decide.</param>
    public static async Task<CtlConnection> OpenAsync(string host, int port, bool tls, string? pin)
    {
        var address = $"{host}:{port}";
        if (!tls && !IsLoopback(host))
        {
            throw new CtlException(2, $"{host} is not this machine: the token would cross the network in clear; a node serves its command host off loopback with TLS: use tls://{host}:{port} (and --tls-pin SHA256 for a certificate the system does not trust)");
        }

        var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host.Trim('[', ']'), port).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            client.Dispose();
            throw new CtlException(3, $"cannot reach the node's command host at {address}: {e.Message}");
        }

        if (!tls)
        {
            return new CtlConnection(client, client.GetStream());
        }

        string? refusal = null;
        var ssl = new SslStream(client.GetStream(), leaveInnerStreamOpen: false, (_, certificate, _, errors) =>
        {
            refusal = Check(certificate, errors, pin);
            return refusal is null;
        });
        try
        {
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await ssl.AuthenticateAsClientAsync(
                new SslClientAuthenticationOptions { TargetHost = host.Trim('[', ']'), EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13 },
                deadline.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            client.Dispose();
            throw new CtlException(3, $"TLS with the command host at {address} failed: {refusal ?? TerminalText.Sanitize(e.Message)}");
        }

        return new CtlConnection(client, ssl);
    }

    /// <summary>Sends one line.</summary>
    public async Task SendAsync(string line)
    {
        Used = true;
        await _stream.WriteAsync(Utf8.GetBytes(line + "\n")).ConfigureAwait(false);
        await _stream.FlushAsync().ConfigureAwait(false);
    }

    /// <summary>The next line; null when the node closed the connection. A line past the wire's bound or not UTF-8 is an <see cref="IOException"/>.</summary>
    public async Task<string?> ReadLineAsync()
    {
        try
        {
            return await _reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (WireFormatException e)
        {
            throw new IOException("the node sent " + e.Message, e);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync().ConfigureAwait(false);
        _client.Dispose();
    }

    /// <summary>Null when the certificate is acceptable, else why not.</summary>
    private static string? Check(X509Certificate? certificate, SslPolicyErrors errors, string? pin)
    {
        if (certificate is null)
        {
            return "the node sent no certificate";
        }

        if (pin is null)
        {
            return errors == SslPolicyErrors.None
                ? null
                : $"the node's certificate is not trusted here ({errors}); if it is the one the node logged at start, pin it: --tls-pin {Hash(certificate)}";
        }

        var wanted = pin.Replace(":", "", StringComparison.Ordinal).Trim();
        return string.Equals(Hash(certificate), wanted, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"the node's certificate has SHA-256 {Hash(certificate)}, not the pinned {wanted}";
    }

    private static string Hash(X509Certificate certificate) => Convert.ToHexString(SHA256.HashData(certificate.GetRawCertData()));
}
