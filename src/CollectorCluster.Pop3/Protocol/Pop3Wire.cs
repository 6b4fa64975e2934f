using System.Globalization;
using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Text;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// The byte level of a POP3 connection: one 64 KiB receive buffer over the (TLS) stream, line and
/// dot-stuffed body parsing straight out of that buffer, and a small command buffer written with one flush
/// per batch. Owning the buffer is what lets a 200 MB message stream through in constant memory, which
/// MailKit's Pop3Client cannot do. Any network, timeout or framing failure marks the connection dead,
/// because after it the reply stream can no longer be trusted to be in step with the commands.
/// The wire works over any <see cref="Stream"/>: the connector hands it a socket's stream, tests hand it a
/// replayed server transcript held in memory.
/// It also holds the server to <see cref="Pop3Limits"/>: line length before anything is parsed, body bytes per
/// message, and the session deadline (time spent waiting on the server, see <see cref="SessionBudget"/>).
/// </summary>
internal sealed class Pop3Wire : IAsyncDisposable
{
    /// <summary>Receive buffer size (larger when max-line-length asks for it).</summary>
    public const int BufferSize = 64 * 1024;

    private readonly byte[] _in;
    private readonly string? _secret;
    private readonly Pop3Limits _limits;
    private Stream _stream;
    private int _start;
    private int _end;
    private byte[] _out = new byte[512];
    private int _outLength;
    private CancellationTokenSource? _operation;
    private CancellationToken _callerToken;
    private bool _bodyAtLineStart;
    private BodyTarget _body;
    private long _bodyBytes;
    private bool _disposed;
    private readonly TimeProvider _clock;

    /// <summary>
    /// Takes over a connected transport (disposing the wire disposes it); <paramref name="secret"/> is scrubbed
    /// from every text this wire produces. The session deadline starts now.
    /// </summary>
    /// <param name="clock">Measures the time waited on the server (the session deadline); null: the system clock.</param>
    public Pop3Wire(Stream transport, string endpoint, string? secret, TimeSpan readTimeout, Pop3Limits limits, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _stream = transport;
        Endpoint = endpoint;
        _secret = string.IsNullOrEmpty(secret) ? null : secret;
        ReadTimeout = readTimeout;
        _limits = limits;
        _in = new byte[Math.Max(BufferSize, _limits.MaxLineLength + 2)];
        Budget = new SessionBudget(_limits);
    }

    /// <summary>The limits this wire holds the server to.</summary>
    public Pop3Limits Limits => _limits;

    /// <summary>The session deadline's arithmetic: what the session may still wait on the server.</summary>
    public SessionBudget Budget { get; }

    /// <summary>"host:port" for messages.</summary>
    public string Endpoint { get; }

    /// <summary>Bound on each single read or write.</summary>
    public TimeSpan ReadTimeout { get; set; }

    /// <summary>The stage errors are attributed to.</summary>
    public Pop3Stage Stage { get; set; }

    /// <summary>The failure that killed the connection, or null while it is usable.</summary>
    public Pop3Exception? Fault { get; private set; }

    /// <summary>True while a RETR body has been started and its terminator not yet read.</summary>
    public bool BodyActive { get; private set; }

    /// <summary>
    /// Starts a public operation: reads and writes until the scope ends are cancelled by the caller's token
    /// or by the per-read timeout.
    /// </summary>
    public OperationScope Begin(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        cancellationToken.ThrowIfCancellationRequested();
        _callerToken = cancellationToken;
        _operation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return new OperationScope(this);
    }

    /// <summary>Ends the operation started by <see cref="Begin"/>.</summary>
    internal void EndOperation()
    {
        _operation?.Dispose();
        _operation = null;
        _callerToken = default;
    }

    /// <summary>Builds an exception for the current stage, scrubbing the secret; dead kinds also kill the connection.</summary>
    public Pop3Exception Fail(Pop3ErrorKind kind, string message, Pop3Reply? reply = null, Exception? inner = null)
    {
        var ex = new Pop3Exception(Stage, kind, Scrub(message), reply?.ResponseCode, reply is { } r ? Scrub(r.Line) : null, inner);
        if (kind is Pop3ErrorKind.Network or Pop3ErrorKind.Timeout or Pop3ErrorKind.Protocol or Pop3ErrorKind.LimitExceeded or Pop3ErrorKind.Deadline)
        {
            Kill(ex);
        }

        return ex;
    }

    /// <summary>Marks the connection unusable and closes the transport (the server then rolls back deletions).</summary>
    public void Kill(Pop3Exception reason)
    {
        Fault ??= reason;
        BodyActive = false;
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Closing a broken connection: the fault above is what counts.
        }
    }

    /// <summary>Replaces the password, should a server ever echo it, before any text leaves the engine.</summary>
    public string Scrub(string text) =>
        _secret is null || !text.Contains(_secret, StringComparison.Ordinal)
            ? text
            : text.Replace(_secret, Core.Accounts.Secret.Redacted, StringComparison.Ordinal);

    /// <summary>Replaces the stream with TLS over it (implicit TLS or after STLS).</summary>
    public async Task UpgradeToTlsAsync(SslClientAuthenticationOptions options, CancellationToken cancellationToken)
    {
        if (_end != _start)
        {
            // Bytes received before the handshake would be plain text smuggled into the TLS session (CVE-2011-0411 class).
            throw Fail(Pop3ErrorKind.Protocol, $"{Endpoint} sent unexpected data before the TLS handshake: {Pop3Text.Quote(_in.AsSpan(_start, Math.Min(_end - _start, 80)))}");
        }

        var ssl = new SslStream(_stream, leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        _stream = ssl;
    }

    /// <summary>Appends a command line (CRLF added). The text may hold a credential: the buffer is wiped after sending.</summary>
    public void Queue(string command)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(command.Length) + 2;
        EnsureOut(needed);
        _outLength += Encoding.UTF8.GetBytes(command, _out.AsSpan(_outLength));
        _out[_outLength++] = (byte)'\r';
        _out[_outLength++] = (byte)'\n';
    }

    /// <summary>Appends "VERB n" without allocating, for the per-message commands (RETR, DELE).</summary>
    public void Queue(string verb, int number)
    {
        EnsureOut(verb.Length + 14);
        _outLength += Encoding.ASCII.GetBytes(verb, _out.AsSpan(_outLength));
        _out[_outLength++] = (byte)' ';
        number.TryFormat(_out.AsSpan(_outLength), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        _outLength += written;
        _out[_outLength++] = (byte)'\r';
        _out[_outLength++] = (byte)'\n';
    }

    /// <summary>Sends everything queued in one write and one flush.</summary>
    public async ValueTask FlushAsync()
    {
        if (_outLength == 0)
        {
            return;
        }

        var cts = _operation ?? throw new InvalidOperationException("No operation in progress.");
        long? started = null;
        var deadlineBinds = false;
        try
        {
            ThrowIfDead();
            cts.CancelAfter(IoTimeout(out deadlineBinds));
            started = _clock.GetTimestamp();
            await _stream.WriteAsync(_out.AsMemory(0, _outLength), cts.Token).ConfigureAwait(false);
            await _stream.FlushAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_callerToken.IsCancellationRequested)
        {
            Kill(new Pop3Exception(Stage, Pop3ErrorKind.Network, $"Operation on {Endpoint} was cancelled while sending."));
            throw;
        }
        catch (Exception ex) when (ex is not Pop3Exception)
        {
            Waited(ref started);
            throw Translate(ex, "sending to", deadlineBinds);
        }
        finally
        {
            Waited(ref started);
            Array.Clear(_out, 0, _outLength);
            _outLength = 0;
            StopTimer(cts);
        }
    }

    /// <summary>Commands asked of the server and the listed bytes they fetch: both add to the session's allowance.</summary>
    public void Request(int commands, long listedBytes) => Budget.CreditRequest(commands, listedBytes);

    /// <summary>Reads one status line and parses it; anything but +OK/-ERR is a protocol error.</summary>
    public async ValueTask<Pop3Reply> ReadReplyAsync(string command)
    {
        var line = await ReadLineAsync(command).ConfigureAwait(false);
        var text = Scrub(Pop3Text.Decode(line.Span));
        if (!Pop3Reply.TryParse(text, out var reply))
        {
            throw Fail(Pop3ErrorKind.Protocol, $"Unexpected reply from {Endpoint} to {command}: {Pop3Text.Quote(line.Span)}");
        }

        return reply;
    }

    /// <summary>
    /// Reads one line of a multi-line response (<paramref name="command"/>'s, for errors), dot-unstuffed. Returns false
    /// at the terminating ".". Each line earns the session its bytes at the throughput floor. The memory is valid
    /// only until the next read.
    /// </summary>
    public async ValueTask<(bool HasLine, ReadOnlyMemory<byte> Line)> ReadListLineAsync(string command)
    {
        var line = await ReadLineAsync(command).ConfigureAwait(false);
        Budget.CreditListing(line.Length + 2);
        if (line.Length > 0 && line.Span[0] == (byte)'.')
        {
            if (line.Length == 1)
            {
                return (false, default);
            }

            line = line[1..];
        }

        return (true, line);
    }

    /// <summary>
    /// Reads one line (CRLF, or a bare LF, stripped) of the reply to <paramref name="command"/>. A line longer than
    /// max-line-length ends the session before anything of it is parsed. Valid only until the next read.
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ReadOnlyMemory<byte>> ReadLineAsync(string command)
    {
        var scanned = 0;
        while (true)
        {
            var idx = _in.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (idx >= 0)
            {
                var length = scanned + idx;
                var begin = _start;
                _start += length + 1;
                if (length > 0 && _in[begin + length - 1] == (byte)'\r')
                {
                    length--;
                }

                if (length > _limits.MaxLineLength)
                {
                    throw LineTooLong(command, begin);
                }

                return _in.AsMemory(begin, length);
            }

            scanned = _end - _start;
            if (scanned > _limits.MaxLineLength + 1) // +1: a CR may still be followed by its LF
            {
                throw LineTooLong(command, _start);
            }

            await FillAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Starts reading a RETR or TOP body (after its +OK line), held to <paramref name="target"/>'s limit.</summary>
    public void BeginBody(BodyTarget target)
    {
        BodyActive = true;
        _bodyAtLineStart = true;
        _body = target;
        _bodyBytes = 0;
    }

    /// <summary>Reads body octets into <paramref name="destination"/>, dot-unstuffed; 0 at the terminator.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<int> ReadBodyAsync(Memory<byte> destination)
    {
        while (true)
        {
            ThrowIfDead();
            if (!BodyActive || destination.Length == 0)
            {
                return 0;
            }

            var n = TakeBody(destination.Span, discard: false);
            CountBody(n);
            if (n > 0 || !BodyActive)
            {
                return n;
            }

            await FillAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Skips the rest of the current body, so the next reply can be read; the body's limit still holds.</summary>
    public async ValueTask DrainBodyAsync()
    {
        while (BodyActive)
        {
            ThrowIfDead();
            CountBody(TakeBody(default, discard: true));
            if (BodyActive)
            {
                await FillAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Counts body octets; past the message's limit the retrieval is cut off before the consumer sees them.</summary>
    private void CountBody(int produced)
    {
        _bodyBytes += produced;
        if (_bodyBytes > _body.Limit)
        {
            var overrun = Fail(
                Pop3ErrorKind.LimitExceeded,
                string.Create(CultureInfo.InvariantCulture, $"{Endpoint} sent more than {_body.Limit:N0} bytes for {_body.Name}, listed at {_body.ListedSize:N0} bytes (limit: {_body.LimitText}); {_body.Command} cut off, nothing of the message is delivered, recorded or deleted"));
            overrun.Overrun = new Pop3BodyOverrun(_body.Number, _body.Uidl, _body.ListedSize, _body.Limit, _body.ByMaxMessageSize);
            throw overrun;
        }
    }

    /// <summary>
    /// The body state machine over what is buffered: strips a stuffed leading dot, stops at CRLF.CRLF
    /// (the CRLF before the dot belongs to the message), and copies whole runs with memcpy.
    /// Returns the octets produced; returns 0 with <see cref="BodyActive"/> still true when more input is needed.
    /// </summary>
    private int TakeBody(Span<byte> destination, bool discard)
    {
        var produced = 0; // at most what is buffered, so it cannot overflow
        var room = discard ? int.MaxValue : destination.Length;
        while (produced < room)
        {
            var available = _end - _start;
            if (available == 0)
            {
                break;
            }

            if (_bodyAtLineStart)
            {
                if (_in[_start] == (byte)'.')
                {
                    if (available < 2)
                    {
                        break;
                    }

                    var second = _in[_start + 1];
                    if (second == (byte)'\n')
                    {
                        _start += 2;
                        BodyActive = false;
                        break;
                    }

                    if (second == (byte)'\r')
                    {
                        if (available < 3)
                        {
                            break;
                        }

                        if (_in[_start + 2] == (byte)'\n')
                        {
                            _start += 3;
                            BodyActive = false;
                            break;
                        }
                    }

                    // Byte-stuffed line (RFC 1939 3): drop the added termination octet.
                    _start++;
                }

                _bodyAtLineStart = false;
                continue;
            }

            var run = _in.AsSpan(_start, Math.Min(available, room - produced));
            var lf = run.IndexOf((byte)'\n');
            if (lf >= 0)
            {
                run = run[..(lf + 1)];
                _bodyAtLineStart = true;
            }

            if (!discard)
            {
                run.CopyTo(destination[produced..]);
            }

            produced += run.Length;
            _start += run.Length;
        }

        return produced;
    }

    /// <summary>Reads more bytes into the buffer, keeping unconsumed ones; end of stream is a network failure.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask FillAsync()
    {
        ThrowIfDead();
        var cts = _operation ?? throw new InvalidOperationException("No operation in progress.");
        if (_start == _end)
        {
            _start = _end = 0;
        }
        else if (_end == _in.Length || _start > _in.Length / 2)
        {
            Buffer.BlockCopy(_in, _start, _in, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        int read;
        var deadlineBinds = false;
        long? started = null;
        try
        {
            cts.CancelAfter(IoTimeout(out deadlineBinds));
            started = _clock.GetTimestamp();
            read = await _stream.ReadAsync(_in.AsMemory(_end), cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_callerToken.IsCancellationRequested)
        {
            Kill(new Pop3Exception(Stage, Pop3ErrorKind.Network, $"Operation on {Endpoint} was cancelled while reading."));
            throw;
        }
        catch (Exception ex) when (ex is not Pop3Exception)
        {
            Waited(ref started);
            throw Translate(ex, "reading from", deadlineBinds);
        }
        finally
        {
            Waited(ref started);
            StopTimer(cts);
        }

        if (read == 0)
        {
            throw Fail(Pop3ErrorKind.Network, BodyActive
                ? $"The connection to {Endpoint} was lost{Where()}."
                : $"Connection closed by {Endpoint} during {Stage}.");
        }

        _end += read;
    }

    /// <summary>
    /// The bound on the next read or write: the per-read timeout, or what is left of the session's allowance when
    /// that is shorter (<paramref name="deadlineBinds"/>). Throws once the allowance is spent.
    /// </summary>
    private TimeSpan IoTimeout(out bool deadlineBinds)
    {
        var remaining = Budget.Remaining;
        if (remaining <= TimeSpan.Zero)
        {
            throw DeadlineReached();
        }

        deadlineBinds = remaining < ReadTimeout;
        return deadlineBinds ? remaining : ReadTimeout;
    }

    /// <summary>Adds the time since <paramref name="started"/> to the time waited on the server, once.</summary>
    private void Waited(ref long? started)
    {
        if (started is { } at)
        {
            Budget.AddWaited(_clock.GetElapsedTime(at));
            started = null;
        }
    }

    private Pop3Exception DeadlineReached() => Fail(
        Pop3ErrorKind.Deadline,
        $"Session deadline reached with {Endpoint}{Where()}: {Budget.Describe()} (collector.pop3.session-deadline); the session was cut off, what was delivered and recorded stays");

    private Pop3Exception LineTooLong(string command, int begin) => Fail(
        Pop3ErrorKind.LimitExceeded,
        string.Create(CultureInfo.InvariantCulture, $"{Endpoint} sent a line longer than {_limits.MaxLineLength:N0} bytes in the reply to {command} (collector.pop3.max-line-length); session cut off: {Pop3Text.Quote(_in.AsSpan(begin, Math.Min(_end - begin, 80)))}"));

    /// <summary>" while retrieving message 5 (UIDL abc) after 1,234 of 5,000 listed bytes", or " during List".</summary>
    private string Where() => BodyActive
        ? string.Create(CultureInfo.InvariantCulture, $" while retrieving {_body.Name} after {_bodyBytes:N0} of {_body.ListedSize:N0} listed bytes")
        : $" during {Stage}";

    private static void StopTimer(CancellationTokenSource cts)
    {
        if (!cts.IsCancellationRequested)
        {
            cts.CancelAfter(Timeout.InfiniteTimeSpan);
        }
    }

    private Pop3Exception Translate(Exception ex, string direction, bool deadlineBinds) => ex switch
    {
        OperationCanceledException when deadlineBinds => DeadlineReached(),
        OperationCanceledException => Fail(Pop3ErrorKind.Timeout, $"Timed out {direction} {Endpoint}{Where()}: no data within {ReadTimeout.TotalSeconds:0.###} s.", inner: ex),
        _ when BodyActive => Fail(Pop3ErrorKind.Network, $"The connection to {Endpoint} was lost{Where()}: {ex.Message}", inner: ex),
        _ => Fail(Pop3ErrorKind.Network, $"Connection to {Endpoint} failed while {direction} it during {Stage}: {ex.Message}", inner: ex),
    };

    private void ThrowIfDead()
    {
        if (Fault is { } fault)
        {
            throw new Pop3Exception(Stage, fault.Kind, $"POP3 session with {Endpoint} is no longer usable: {fault.Message}", fault.ResponseCode, fault.ServerReply, fault);
        }
    }

    private void EnsureOut(int extra)
    {
        if (_outLength + extra > _out.Length)
        {
            var bigger = new byte[Math.Max(_out.Length * 2, _outLength + extra)];
            _out.AsSpan(0, _outLength).CopyTo(bigger);
            Array.Clear(_out);
            _out = bigger;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        BodyActive = false;
        EndOperation();
        try
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // Closing a broken connection: nothing left to tell anyone.
        }

        Array.Clear(_out);
    }
}
