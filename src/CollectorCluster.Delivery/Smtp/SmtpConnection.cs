using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;

namespace CollectorCluster.Delivery.Smtp;

/// <summary>
/// The wire of one LMTP/SMTP connection: buffered command writes (so pipelined commands leave in one packet),
/// reply parsing, STARTTLS. Knows nothing about transactions; <see cref="SmtpDeliverySession"/> does.
/// </summary>
internal sealed class SmtpConnection : IAsyncDisposable
{
    /// <summary>A reply line longer than this is a broken or hostile server (RFC 5321 allows 512).</summary>
    private const int MaxLineLength = 8 * 1024;

    /// <summary>Replies of more lines than this (EHLO lists a few dozen at most) mean the server is broken.</summary>
    private const int MaxReplyLines = 500;

    private readonly Socket _socket;
    private readonly byte[] _in = new byte[16 * 1024];
    private readonly byte[] _out = new byte[64 * 1024];
    private int _outCount;
    private Stream _stream;
    private int _inStart;
    private int _inEnd;

    private SmtpConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Connects to <paramref name="endpoint"/>.</summary>
    public static async Task<SmtpConnection> ConnectAsync(SmtpEndpoint endpoint, CancellationToken cancellationToken)
    {
        var socket = await endpoint.ConnectAsync(cancellationToken).ConfigureAwait(false);
        return new SmtpConnection(socket);
    }

    /// <summary>Buffers a command line (CRLF appended). Nothing is sent until <see cref="FlushAsync"/> or the buffer fills.</summary>
    public ValueTask WriteLineAsync(string line, CancellationToken cancellationToken) =>
        WriteAsync(Encoding.UTF8.GetBytes(line + "\r\n"), cancellationToken);

    /// <summary>Buffers raw bytes (the DATA payload), sending whenever the buffer is full.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (bytes.Length > 0)
        {
            if (_outCount == _out.Length)
            {
                await SendBufferAsync(cancellationToken).ConfigureAwait(false);
            }

            var n = Math.Min(bytes.Length, _out.Length - _outCount);
            bytes.Span[..n].CopyTo(_out.AsSpan(_outCount));
            _outCount += n;
            bytes = bytes[n..];
        }
    }

    /// <summary>Sends everything written so far.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SendBufferAsync(cancellationToken).ConfigureAwait(false);
        await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one reply (all its continuation lines).</summary>
    /// <exception cref="IOException">The server closed the connection or sent something that is not a reply.</exception>
    public async Task<SmtpReply> ReadReplyAsync(CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line.Length < 3 || !int.TryParse(line.AsSpan(0, 3), NumberStyles.None, CultureInfo.InvariantCulture, out var code)
                || code < 200 || code > 599 || (line.Length > 3 && line[3] != ' ' && line[3] != '-'))
            {
                throw new IOException($"the server sent a line that is not a reply: '{Printable(line)}'");
            }

            lines.Add(line.Length > 4 ? line[4..] : "");
            if (line.Length == 3 || line[3] == ' ')
            {
                return new SmtpReply(code, lines);
            }

            if (lines.Count > MaxReplyLines)
            {
                throw new IOException($"the server sent a reply of more than {MaxReplyLines} lines");
            }
        }
    }

    /// <summary>Wraps the connection in TLS after a 220 answer to STARTTLS, validating the server's certificate.</summary>
    public async Task StartTlsAsync(string host, RemoteCertificateValidationCallback? validation, CancellationToken cancellationToken)
    {
        if (_inEnd > _inStart)
        {
            // Bytes after the 220 would have been sent in plain text before the handshake: an injection attempt (CVE-2011-0411 class).
            throw new IOException("the server sent data after its STARTTLS reply; refusing to continue");
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false, validation);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = host }, cancellationToken).ConfigureAwait(false);
        _stream = ssl;
    }

    /// <summary>Closes at once (no QUIT): a server discards a transaction whose DATA never ended.</summary>
    public void Abort()
    {
        try
        {
            _socket.Close(0);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _stream.DisposeAsync().ConfigureAwait(false);

    private static string Printable(string line) =>
        new(line.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private async Task SendBufferAsync(CancellationToken cancellationToken)
    {
        if (_outCount > 0)
        {
            await _stream.WriteAsync(_out.AsMemory(0, _outCount), cancellationToken).ConfigureAwait(false);
            _outCount = 0;
        }
    }

    private async Task<string> ReadLineAsync(CancellationToken cancellationToken)
    {
        var scanFrom = _inStart;
        while (true)
        {
            var lf = Array.IndexOf(_in, (byte)'\n', scanFrom, _inEnd - scanFrom);
            if (lf >= 0)
            {
                var end = lf > _inStart && _in[lf - 1] == (byte)'\r' ? lf - 1 : lf;
                var line = Encoding.UTF8.GetString(_in, _inStart, end - _inStart);
                _inStart = lf + 1;
                return line;
            }

            if (_inStart > 0)
            {
                Buffer.BlockCopy(_in, _inStart, _in, 0, _inEnd - _inStart);
                _inEnd -= _inStart;
                _inStart = 0;
            }

            if (_inEnd >= MaxLineLength || _inEnd == _in.Length)
            {
                throw new IOException($"the server sent a line longer than {MaxLineLength} bytes");
            }

            scanFrom = _inEnd;
            var read = await _stream.ReadAsync(_in.AsMemory(_inEnd), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("the server closed the connection");
            }

            _inEnd += read;
        }
    }
}
