using System.Globalization;
using CollectorCluster.Core.Planning;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// The TRANSACTION-state session over a <see cref="Pop3Wire"/>. Pipelines RETR and DELE in a bounded window
/// when the server allows it (that removes one round trip per message), keeps replies in step with commands
/// even when one command is refused, and declares itself dead after anything that could put them out of step.
/// Listings are held to max-listed-messages, bodies to their listed size (<see cref="Pop3Limits.BodyLimit"/>).
/// </summary>
internal sealed class Pop3Session : IPop3Session
{
    /// <summary>Commands kept in flight ahead of the one being read, when PIPELINING is advertised.</summary>
    internal const int PipelineWindow = 16;

    private readonly Pop3Wire _wire;
    private readonly long _maxMessageSize;
    private readonly List<string> _warnings = [];
    private bool _quit;
    private bool _disposed;

    /// <summary>Takes over an authenticated wire; <paramref name="maxMessageSize"/> (0 = none) also bounds bodies.</summary>
    public Pop3Session(Pop3Wire wire, Pop3ServerCapabilities capabilities, long maxMessageSize)
    {
        _wire = wire;
        Capabilities = capabilities;
        _maxMessageSize = maxMessageSize;
    }

    /// <inheritdoc />
    public Pop3ServerCapabilities Capabilities { get; private set; }

    /// <inheritdoc />
    public IReadOnlyList<string> Warnings => _warnings;

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
                var digested = 0;
                string? example = null;
                while (true)
                {
                    var (hasLine, line) = await _wire.ReadListLineAsync("UIDL").ConfigureAwait(false);
                    if (!hasLine)
                    {
                        break;
                    }

                    CheckListingLength("UIDL", uidls.Count);
                    if (!ListingParser.TryParseUidl(line.Span, out var number, out var uidl, out var conforming))
                    {
                        throw _wire.Fail(Pop3ErrorKind.Protocol, $"Malformed UIDL line from {_wire.Endpoint}: {Pop3Text.Quote(line.Span)}");
                    }

                    if (!uidls.TryAdd(number, uidl))
                    {
                        throw _wire.Fail(Pop3ErrorKind.Protocol, $"Message number {number} listed twice in UIDL from {_wire.Endpoint}: {Pop3Text.Quote(line.Span)}");
                    }

                    if (!conforming && digested++ == 0)
                    {
                        var raw = line.Span[(line.Span.IndexOf((byte)' ') + 1)..].TrimStart((byte)' ');
                        example = string.Create(CultureInfo.InvariantCulture, $"message {number}'s is {raw.Length:N0} bytes, {Pop3Text.Quote(raw[..Math.Min(raw.Length, 40)])}, now {uidl}");
                    }
                }

                if (digested > 0)
                {
                    // One warning per listing, whatever the count, so a hostile listing cannot flood the warnings either.
                    Warn(string.Create(CultureInfo.InvariantCulture, $"{_wire.Endpoint} sent {digested:N0} UIDL(s) that RFC 1939 does not allow (1 to 70 printable characters); each such message is keyed by the SHA-256 of its UIDL instead (e.g. {example})"));
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
            var (hasLine, line) = await _wire.ReadListLineAsync("LIST").ConfigureAwait(false);
            if (!hasLine)
            {
                break;
            }

            CheckListingLength("LIST", messages.Count);
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

    /// <summary>Before keeping one more listing line: a listing longer than max-listed-messages ends the session.</summary>
    private void CheckListingLength(string command, int kept)
    {
        var max = _wire.Limits.MaxListedMessages;
        if (kept >= max)
        {
            throw _wire.Fail(
                Pop3ErrorKind.LimitExceeded,
                string.Create(CultureInfo.InvariantCulture, $"{_wire.Endpoint} listed more than {max:N0} messages in its reply to {command} (collector.pop3.max-listed-messages = {max:N0}); session cut off at line {kept + 1:N0}"));
        }
    }

    /// <summary>The listed sizes added up, saturating: a hostile LIST can claim sizes whose sum overflows.</summary>
    private static long ListedBytes(IReadOnlyList<ListedMessage> messages)
    {
        long sum = 0;
        foreach (var message in messages)
        {
            var size = Math.Max(0, message.Size);
            sum = size > long.MaxValue - sum ? long.MaxValue : sum + size;
        }

        return sum;
    }

    private void Warn(string warning)
    {
        if (!_warnings.Contains(warning))
        {
            _warnings.Add(warning);
        }
    }

    /// <summary>The limit a message's body is held to, and how it was reached (for the error).</summary>
    private BodyTarget Target(string command, ListedMessage message)
    {
        var limits = _wire.Limits;
        var limit = limits.BodyLimit(message.Size, _maxMessageSize);
        var byMaxMessageSize = _maxMessageSize > 0 && limit != limits.BodyLimit(message.Size, 0);
        var text = !byMaxMessageSize
            ? string.Create(CultureInfo.InvariantCulture, $"twice the listed size + collector.pop3.body-slack {limits.BodySlack:N0}")
            : message.Size > _maxMessageSize
                ? string.Create(CultureInfo.InvariantCulture, $"the listed size, fetched despite max-message-size {_maxMessageSize:N0}, + collector.pop3.body-slack {limits.BodySlack:N0}")
                : string.Create(CultureInfo.InvariantCulture, $"max-message-size {_maxMessageSize:N0} + collector.pop3.body-slack {limits.BodySlack:N0}");
        return new BodyTarget(command, message.Number, message.Uidl, message.Size, limit, text, byMaxMessageSize);
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

        // What the listing says is to fetch earns the session its allowance (the session deadline).
        _wire.Request(messages.Count, ListedBytes(messages));
        await PipelineAsync("RETR", messages, bodies: true, cancellationToken, async message =>
        {
            _wire.BeginBody(Target("RETR", message));
            var stream = new Pop3MessageStream(_wire);
            try
            {
                await consume(message, stream, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not Pop3Exception)
            {
                if (_wire.Fault is { } lost)
                {
                    // The consumer turned a wire failure into its own (a destination aborting): the wire's is the truth.
                    throw new Pop3Exception(Pop3Stage.Retrieve, lost.Kind, lost.Message, lost.ResponseCode, lost.ServerReply, ex) { Overrun = lost.Overrun };
                }

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
                throw new Pop3Exception(Pop3Stage.Retrieve, fault.Kind, fault.Message, fault.ResponseCode, fault.ServerReply, fault) { Overrun = fault.Overrun };
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
        _wire.Request(1, Math.Min(Math.Max(0, message.Size), maxBytes));
        _wire.Queue(string.Create(CultureInfo.InvariantCulture, $"TOP {message.Number} 0"));
        await _wire.FlushAsync().ConfigureAwait(false);
        var reply = await _wire.ReadReplyAsync($"TOP {message.Number} 0").ConfigureAwait(false);
        if (!reply.IsOk)
        {
            throw _wire.Fail(Pop3ErrorKind.ServerRefused, $"TOP of message {message.Number} refused by {_wire.Endpoint}: {reply.Line}", reply);
        }

        _wire.BeginBody(Target("TOP", message));
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

        _wire.Request(messages.Count, 0);
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
                await DrainRepliesAsync(command, messages, i + 1, sent, bodies).ConfigureAwait(false);
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
            _wire.Request(1, 0);
            _wire.Queue("QUIT");
            await _wire.FlushAsync().ConfigureAwait(false);
            var reply = await _wire.ReadReplyAsync("QUIT").ConfigureAwait(false);
            return reply.IsOk;
        }
        catch (Pop3Exception ex) when (ex.Kind is Pop3ErrorKind.Network or Pop3ErrorKind.Timeout or Pop3ErrorKind.Deadline or Pop3ErrorKind.LimitExceeded)
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
    private async Task DrainRepliesAsync(string command, IReadOnlyList<ListedMessage> messages, int from, int to, bool bodies)
    {
        for (var j = from; j < to; j++)
        {
            var reply = await _wire.ReadReplyAsync($"{command} {messages[j].Number} (pipelined)").ConfigureAwait(false);
            if (reply.IsOk && bodies)
            {
                _wire.BeginBody(Target(command, messages[j]));
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
