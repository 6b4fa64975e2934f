using CollectorCluster.Core.Planning;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// The TRANSACTION-state session over a <see cref="Pop3Wire"/>. Pipelines RETR and DELE in a bounded window
/// when the server allows it (that removes one round trip per message), keeps replies in step with commands
/// even when one command is refused, and declares itself dead after anything that could put them out of step.
/// </summary>
internal sealed class Pop3Session : IPop3Session
{
    /// <summary>Commands kept in flight ahead of the one being read, when PIPELINING is advertised.</summary>
    internal const int PipelineWindow = 16;

    private readonly Pop3Wire _wire;
    private bool _quit;
    private bool _disposed;

    /// <summary>Takes over an authenticated wire.</summary>
    public Pop3Session(Pop3Wire wire, Pop3ServerCapabilities capabilities)
    {
        _wire = wire;
        Capabilities = capabilities;
    }

    /// <inheritdoc />
    public Pop3ServerCapabilities Capabilities { get; private set; }

    private int Window => Capabilities.Pipelining ? PipelineWindow : 1;

    /// <inheritdoc />
    public async Task<IReadOnlyList<ListedMessage>> ListAsync(CancellationToken cancellationToken)
    {
        EnsureUsable(Pop3Stage.List);
        using var scope = _wire.Begin(cancellationToken);
        var tryUidl = Capabilities.Uidl;
        if (tryUidl)
        {
            _wire.Queue("UIDL");
        }

        if (!tryUidl || Capabilities.Pipelining)
        {
            _wire.Queue("LIST");
        }

        await _wire.FlushAsync().ConfigureAwait(false);

        Dictionary<int, string>? uidls = null;
        if (tryUidl)
        {
            var reply = await _wire.ReadReplyAsync("UIDL").ConfigureAwait(false);
            if (reply.IsOk)
            {
                uidls = [];
                while (true)
                {
                    var (hasLine, line) = await _wire.ReadListLineAsync().ConfigureAwait(false);
                    if (!hasLine)
                    {
                        break;
                    }

                    if (!ListingParser.TryParseUidl(line.Span, out var number, out var uidl))
                    {
                        throw _wire.Fail(Pop3ErrorKind.Protocol, $"Malformed UIDL line from {_wire.Endpoint}: {Pop3Text.Quote(line.Span)}");
                    }

                    if (!uidls.TryAdd(number, uidl))
                    {
                        throw _wire.Fail(Pop3ErrorKind.Protocol, $"Message number {number} listed twice in UIDL from {_wire.Endpoint}: {Pop3Text.Quote(line.Span)}");
                    }
                }
            }
            else
            {
                Capabilities = Capabilities with { Uidl = false };
            }

            if (!Capabilities.Pipelining)
            {
                _wire.Queue("LIST");
                await _wire.FlushAsync().ConfigureAwait(false);
            }
        }

        var listReply = await _wire.ReadReplyAsync("LIST").ConfigureAwait(false);
        if (!listReply.IsOk)
        {
            throw _wire.Fail(Pop3ErrorKind.ServerRefused, $"LIST refused by {_wire.Endpoint}: {listReply.Line}", listReply);
        }

        var messages = new List<ListedMessage>(uidls?.Count ?? 16);
        var seen = new HashSet<int>();
        while (true)
        {
            var (hasLine, line) = await _wire.ReadListLineAsync().ConfigureAwait(false);
            if (!hasLine)
            {
                break;
            }

            if (!ListingParser.TryParseList(line.Span, out var number, out var size))
            {
                throw _wire.Fail(Pop3ErrorKind.Protocol, $"Malformed LIST line from {_wire.Endpoint}: {Pop3Text.Quote(line.Span)}");
            }

            if (!seen.Add(number))
            {
                throw _wire.Fail(Pop3ErrorKind.Protocol, $"Message number {number} listed twice in LIST from {_wire.Endpoint}: {Pop3Text.Quote(line.Span)}");
            }

            string? uidl = null;
            if (uidls is not null && !uidls.TryGetValue(number, out uidl))
            {
                throw _wire.Fail(Pop3ErrorKind.Protocol, $"UIDL and LIST from {_wire.Endpoint} disagree: message {number} has no UIDL.");
            }

            messages.Add(new ListedMessage(number, uidl, size));
        }

        if (uidls is not null && uidls.Count != messages.Count)
        {
            var extra = uidls.Keys.First(n => !seen.Contains(n));
            throw _wire.Fail(Pop3ErrorKind.Protocol, $"UIDL and LIST from {_wire.Endpoint} disagree: message {extra} is not in LIST.");
        }

        messages.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        return messages;
    }

    /// <inheritdoc />
    public async Task RetrieveAsync(IReadOnlyList<ListedMessage> messages, Func<ListedMessage, Stream, CancellationToken, Task> consume, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(consume);
        EnsureUsable(Pop3Stage.Retrieve);
        if (messages.Count == 0)
        {
            return;
        }

        await PipelineAsync("RETR", messages, bodies: true, cancellationToken, async message =>
        {
            _wire.BeginBody();
            var stream = new Pop3MessageStream(_wire);
            try
            {
                await consume(message, stream, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not Pop3Exception && _wire.Fault is null)
            {
                // The body and the replies still in flight are unread: the connection is out of step for good.
                _wire.Kill(new Pop3Exception(Pop3Stage.Retrieve, Pop3ErrorKind.Protocol, $"Consumer of message {message.Number} from {_wire.Endpoint} failed; session abandoned.", innerException: ex));
                throw;
            }
            finally
            {
                stream.Detach();
            }

            if (_wire.Fault is { } fault)
            {
                // The consumer swallowed a wire failure: never report a truncated message as retrieved.
                throw new Pop3Exception(Pop3Stage.Retrieve, fault.Kind, $"Message {message.Number}: {fault.Message}", fault.ResponseCode, fault.ServerReply, fault);
            }

            await _wire.DrainBodyAsync().ConfigureAwait(false);
        }).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<byte[]> TopHeaderAsync(ListedMessage message, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        EnsureUsable(Pop3Stage.Retrieve);
        using var scope = _wire.Begin(cancellationToken);
        _wire.Queue(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"TOP {message.Number} 0"));
        await _wire.FlushAsync().ConfigureAwait(false);
        var reply = await _wire.ReadReplyAsync($"TOP {message.Number} 0").ConfigureAwait(false);
        if (!reply.IsOk)
        {
            throw _wire.Fail(Pop3ErrorKind.ServerRefused, $"TOP of message {message.Number} refused by {_wire.Endpoint}: {reply.Line}", reply);
        }

        _wire.BeginBody();
        var stream = new Pop3MessageStream(_wire);
        var buffer = new byte[maxBytes];
        var length = 0;
        try
        {
            int read;
            while (length < maxBytes && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false)) > 0)
            {
                length += read;
            }
        }
        finally
        {
            stream.Detach();
        }

        await _wire.DrainBodyAsync().ConfigureAwait(false); // whatever is beyond the cap
        return buffer[..length];
    }

    /// <inheritdoc />
    public async Task DeleteAsync(IReadOnlyList<ListedMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        EnsureUsable(Pop3Stage.Delete);
        if (messages.Count == 0)
        {
            return;
        }

        await PipelineAsync("DELE", messages, bodies: false, cancellationToken, static _ => Task.CompletedTask).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends <paramref name="command"/> for each message, keeping a bounded window in flight (one when the server
    /// does not pipeline), and hands each +OK to <paramref name="onOk"/> in order. A -ERR drains the replies
    /// still in flight, so the session stays usable, and throws naming the message.
    /// </summary>
    private async Task PipelineAsync(string command, IReadOnlyList<ListedMessage> messages, bool bodies, CancellationToken cancellationToken, Func<ListedMessage, Task> onOk)
    {
        using var scope = _wire.Begin(cancellationToken);
        var window = Window;
        var sent = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (sent == i || sent - i <= window / 2)
            {
                sent = await SendAheadAsync(command, messages, i, sent, window).ConfigureAwait(false);
            }

            var message = messages[i];
            var reply = await _wire.ReadReplyAsync($"{command} {message.Number}").ConfigureAwait(false);
            if (!reply.IsOk)
            {
                var refused = _wire.Fail(Pop3ErrorKind.ServerRefused, $"{command} of message {message.Number} refused by {_wire.Endpoint}: {reply.Line}", reply);
                await DrainRepliesAsync(i + 1, sent, bodies).ConfigureAwait(false);
                throw refused;
            }

            await onOk(message).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<bool> QuitAsync(CancellationToken cancellationToken)
    {
        EnsureUsable(Pop3Stage.Quit);
        _quit = true;
        using var scope = _wire.Begin(cancellationToken);
        try
        {
            _wire.Queue("QUIT");
            await _wire.FlushAsync().ConfigureAwait(false);
            var reply = await _wire.ReadReplyAsync("QUIT").ConfigureAwait(false);
            return reply.IsOk;
        }
        catch (Pop3Exception ex) when (ex.Kind is Pop3ErrorKind.Network or Pop3ErrorKind.Timeout)
        {
            // No +OK seen: the server may have rolled back, so deletions must be treated as not committed.
            return false;
        }
        finally
        {
            await _wire.DisposeAsync().ConfigureAwait(false);
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

        // Closing without QUIT makes the server roll back this session's deletions (RFC 1939 6), as intended.
        await _wire.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Queues commands for messages [sent, i + window) and flushes them in one write.</summary>
    private async ValueTask<int> SendAheadAsync(string verb, IReadOnlyList<ListedMessage> messages, int current, int sent, int window)
    {
        var limit = Math.Min(messages.Count, current + window);
        for (; sent < limit; sent++)
        {
            _wire.Queue(verb, messages[sent].Number);
        }

        await _wire.FlushAsync().ConfigureAwait(false);
        return sent;
    }

    /// <summary>Reads (and discards) the replies to commands already in flight, so the session stays in step after a refusal.</summary>
    private async Task DrainRepliesAsync(int from, int to, bool bodies)
    {
        for (var j = from; j < to; j++)
        {
            var reply = await _wire.ReadReplyAsync("pipelined command").ConfigureAwait(false);
            if (reply.IsOk && bodies)
            {
                _wire.BeginBody();
                await _wire.DrainBodyAsync().ConfigureAwait(false);
            }
        }
    }

    private void EnsureUsable(Pop3Stage stage)
    {
        if (_disposed || _quit)
        {
            throw new Pop3Exception(stage, Pop3ErrorKind.Protocol, $"POP3 session with {_wire.Endpoint} is closed ({(_quit ? "QUIT already sent" : "disposed")}).");
        }

        _wire.Stage = stage;
        if (_wire.Fault is { } fault)
        {
            throw new Pop3Exception(stage, fault.Kind, $"POP3 session with {_wire.Endpoint} is no longer usable: {fault.Message}", fault.ResponseCode, fault.ServerReply, fault);
        }
    }
}
