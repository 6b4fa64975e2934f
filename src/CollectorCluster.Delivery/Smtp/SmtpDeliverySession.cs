using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using CollectorCluster.Core.Delivery;
using CollectorCluster.Delivery.Maildir;

namespace CollectorCluster.Delivery.Smtp;

/// <summary>
/// One collection session's deliveries over one LMTP/SMTP connection. A transaction is MAIL FROM, RCPT TO per
/// recipient, DATA (pipelined when the server advertises PIPELINING), the message streamed with dot-stuffing,
/// and the reply after the final dot (one per recipient for LMTP). RSET precedes every later transaction; QUIT ends
/// the session. Not safe for concurrent calls.
/// </summary>
internal sealed class SmtpDeliverySession : IDeliverySession
{
    /// <summary>How long a reply may take; the final-dot reply may involve filtering, RFC 5321 suggests 10 minutes.</summary>
    internal static readonly TimeSpan ReplyTimeout = TimeSpan.FromMinutes(10);

    private const int ChunkSize = 64 * 1024;

    private static readonly TimeSpan QuitTimeout = TimeSpan.FromSeconds(10);

    private readonly SmtpDestination _destination;
    private readonly SmtpDestinationOptions _options;
    private readonly string _accountId;
    private readonly string _nameSeed;
    private readonly RemoteCertificateValidationCallback? _certificateValidation;
    private readonly HashSet<string> _extensions = new(StringComparer.OrdinalIgnoreCase);
    private SmtpConnection? _connection;
    private bool _needsReset;
    private bool _sourceFailed;
    private bool _disposed;

    internal SmtpDeliverySession(SmtpDestination destination, MailboxScope scope, RemoteCertificateValidationCallback? certificateValidation)
    {
        _destination = destination;
        _options = destination.Options;
        _accountId = scope.AccountId;
        _nameSeed = scope.NameSeed;
        _certificateValidation = certificateValidation;
    }

    private string Description => _destination.Description;

    /// <inheritdoc />
    /// <remarks>
    /// A 4xx/5xx reply becomes a <see cref="DeliveryRefusedException"/> carrying the server's reply; a connection
    /// failure a <see cref="DeliveryException"/>. Errors reading <paramref name="content"/> pass through unchanged
    /// after the connection is dropped without the final dot, so the server discards the partial message.
    /// </remarks>
    public async Task<DeliveryReceipt> DeliverAsync(string? uidl, Stream content, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(content);
        _sourceFailed = false;
        try
        {
            var connection = _connection ??= await ConnectAsync(cancellationToken).ConfigureAwait(false);
            var accepted = await BeginTransactionAsync(connection, cancellationToken).ConfigureAwait(false);
            var (key, bytes) = await SendDataAsync(connection, uidl, content, cancellationToken).ConfigureAwait(false);
            await ReadFinalRepliesAsync(connection, accepted, cancellationToken).ConfigureAwait(false);
            return new DeliveryReceipt(key, bytes, AlreadyPresent: false, $"{Description} rcpt {string.Join(',', _options.Recipients)}");
        }
        catch (Exception e) when (!_sourceFailed && (e is SocketException or AuthenticationException || (e is IOException && e is not DeliveryException and not DeliveryRefusedException)))
        {
            Drop();
            throw new DeliveryException(Description, _accountId, "Delivering to", e);
        }
    }

    /// <inheritdoc />
    /// <remarks>Nothing to do: each 250 already committed its message on the server.</remarks>
    public Task FlushAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Sends QUIT and waits briefly for its reply; a failing QUIT changes nothing already delivered.</remarks>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                using var timeout = new CancellationTokenSource(QuitTimeout);
                await connection.WriteLineAsync("QUIT", timeout.Token).ConfigureAwait(false);
                await connection.FlushAsync(timeout.Token).ConfigureAwait(false);
                _ = await connection.ReadReplyAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // Every message already has its 250 (or its error); nothing depends on QUIT's answer.
            }
            finally
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static bool IsAscii(string text) => text.All(char.IsAscii);

    private async Task<SmtpConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = await SmtpConnection.ConnectAsync(_options.Endpoint, cancellationToken).ConfigureAwait(false);
        try
        {
            var greeting = await ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            if (greeting.Code != 220)
            {
                throw Refused("the connection", greeting);
            }

            await HelloAsync(connection, cancellationToken).ConfigureAwait(false);
            if (_options.Tls == SmtpTlsMode.StartTls)
            {
                if (!_extensions.Contains("STARTTLS"))
                {
                    throw new DeliveryRefusedException(Description, _accountId, "STARTTLS", "the server does not advertise STARTTLS (tls=starttls requires it)", transient: false);
                }

                await connection.WriteLineAsync("STARTTLS", cancellationToken).ConfigureAwait(false);
                await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
                var ready = await ReadAsync(connection, cancellationToken).ConfigureAwait(false);
                if (ready.Code != 220)
                {
                    throw Refused("STARTTLS", ready);
                }

                await connection.StartTlsAsync(_options.Endpoint.Host, _certificateValidation, cancellationToken).ConfigureAwait(false);
                await HelloAsync(connection, cancellationToken).ConfigureAwait(false);
            }

            _needsReset = false;
            return connection;
        }
        catch
        {
            connection.Abort();
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task HelloAsync(SmtpConnection connection, CancellationToken cancellationToken)
    {
        _extensions.Clear();
        var verb = _options.Dialect == SmtpDialect.Lmtp ? "LHLO" : "EHLO";
        await connection.WriteLineAsync($"{verb} {_destination.ClientName}", cancellationToken).ConfigureAwait(false);
        await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        var reply = await ReadAsync(connection, cancellationToken).ConfigureAwait(false);
        if (reply.Code == 250)
        {
            foreach (var line in reply.Lines.Skip(1))
            {
                var keyword = line.Split(' ', 2)[0];
                if (keyword.Length > 0)
                {
                    _extensions.Add(keyword);
                }
            }

            return;
        }

        if (_options.Dialect == SmtpDialect.Smtp && reply.Code is 500 or 502)
        {
            // A server too old for EHLO: plain HELO, no extensions.
            await connection.WriteLineAsync($"HELO {_destination.ClientName}", cancellationToken).ConfigureAwait(false);
            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            reply = await ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            if (reply.Code == 250)
            {
                return;
            }
        }

        throw Refused(verb, reply);
    }

    /// <summary>RSET (after an earlier transaction), MAIL, RCPT…, DATA; returns how many recipients were accepted.</summary>
    private async Task<int> BeginTransactionAsync(SmtpConnection connection, CancellationToken cancellationToken)
    {
        var commands = TransactionCommands();
        _needsReset = true;

        var pipelined = _extensions.Contains("PIPELINING");
        if (pipelined)
        {
            foreach (var (command, _) in commands)
            {
                await connection.WriteLineAsync(command, cancellationToken).ConfigureAwait(false);
            }

            await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        var accepted = 0;
        var failures = new List<string>();
        SmtpReply? firstFailure = null;
        foreach (var (command, expected) in commands)
        {
            var isData = command == "DATA";
            if (!pipelined)
            {
                if (isData && (failures.Count > 0 || accepted == 0))
                {
                    break;
                }

                await connection.WriteLineAsync(command, cancellationToken).ConfigureAwait(false);
                await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            var reply = await ReadAsync(connection, cancellationToken).ConfigureAwait(false);
            if (reply.Code == expected)
            {
                if (command.StartsWith("RCPT", StringComparison.Ordinal))
                {
                    accepted++;
                }

                if (isData && failures.Count > 0)
                {
                    // The server opened DATA although the transaction already failed: the only way out that
                    // delivers nothing is to drop the connection before any payload.
                    Drop();
                }

                continue;
            }

            firstFailure ??= reply;
            failures.Add($"{command} → {reply}");
            if (!pipelined && !command.StartsWith("RCPT", StringComparison.Ordinal))
            {
                break;
            }
        }

        if (failures.Count > 0)
        {
            var transient = failures.Count > 0 && firstFailure!.IsTransient;
            throw new DeliveryRefusedException(Description, _accountId, "the transaction", string.Join("; ", failures), transient);
        }

        return accepted;
    }

    /// <summary>The transaction's commands, each with the reply code that accepts it.</summary>
    private List<(string Command, int Expected)> TransactionCommands()
    {
        var utf8 = !IsAscii(_options.EnvelopeSender) || _options.Recipients.Any(r => !IsAscii(r));
        if (utf8 && !_extensions.Contains("SMTPUTF8"))
        {
            throw new DeliveryRefusedException(Description, _accountId, "the envelope", "a non-ASCII address needs SMTPUTF8, which the server does not advertise", transient: false);
        }

        var mail = $"MAIL FROM:<{_options.EnvelopeSender}>"
            + (_extensions.Contains("8BITMIME") ? " BODY=8BITMIME" : "")
            + (utf8 ? " SMTPUTF8" : "");
        var commands = new List<(string Command, int Expected)>();
        if (_needsReset)
        {
            commands.Add(("RSET", 250));
        }

        commands.Add((mail, 250));
        commands.AddRange(_options.Recipients.Select(r => ($"RCPT TO:<{r}>", 250)));
        commands.Add(("DATA", 354));
        return commands;
    }

    private async Task<(string Key, long Bytes)> SendDataAsync(SmtpConnection connection, string? uidl, Stream content, CancellationToken cancellationToken)
    {
        var encoder = new SmtpDataEncoder();
        var input = new byte[ChunkSize];
        var output = new byte[SmtpDataEncoder.MaxEncodedLength(ChunkSize)];
        using var hash = uidl is null ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
        long bytes = 0;

        await connection.WriteAsync(DeliveryTrace.HeaderLine(_nameSeed, uidl, "\r\n"), cancellationToken).ConfigureAwait(false);
        while (true)
        {
            int read;
            try
            {
                read = await content.ReadAsync(input, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // The source failed mid-message: drop the link before the final dot so nothing partial is delivered.
                _sourceFailed = true;
                Drop();
                throw;
            }

            if (read == 0)
            {
                break;
            }

            bytes += read;
            hash?.AppendData(input, 0, read);
            var n = encoder.Encode(input.AsSpan(0, read), output);
            await connection.WriteAsync(output.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
        }

        var end = encoder.Finish(output);
        await connection.WriteAsync(output.AsMemory(0, end), cancellationToken).ConfigureAwait(false);
        await connection.FlushAsync(cancellationToken).ConfigureAwait(false);
        return (uidl ?? MaildirNames.ContentKey(hash!.GetHashAndReset()), bytes);
    }

    private async Task ReadFinalRepliesAsync(SmtpConnection connection, int accepted, CancellationToken cancellationToken)
    {
        // LMTP answers once per accepted recipient (RFC 2033 4.2); SMTP once for the message.
        var count = _options.Dialect == SmtpDialect.Lmtp ? accepted : 1;
        var replies = new List<SmtpReply>(count);
        for (var i = 0; i < count; i++)
        {
            replies.Add(await ReadAsync(connection, cancellationToken).ConfigureAwait(false));
        }

        var failed = replies.Where(r => !r.IsPositive).ToList();
        if (failed.Count == 0)
        {
            return;
        }

        var detail = string.Join("; ", replies.Select(r => r.ToString()));
        if (failed.Count < replies.Count)
        {
            detail = $"accepted for {replies.Count - failed.Count} of {replies.Count} recipient(s), a retry may duplicate it for those: {detail}";
        }

        throw new DeliveryRefusedException(Description, _accountId, "the message", detail, failed.All(r => r.IsTransient));
    }

    private async Task<SmtpReply> ReadAsync(SmtpConnection connection, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReplyTimeout);
        try
        {
            return await connection.ReadReplyAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new IOException($"no reply from the server within {ReplyTimeout.TotalMinutes:0} minutes");
        }
    }

    private DeliveryRefusedException Refused(string what, SmtpReply reply)
    {
        Drop();
        return new DeliveryRefusedException(Description, _accountId, what, reply.ToString(), reply.IsTransient);
    }

    private void Drop()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            connection.Abort();
            _ = connection.DisposeAsync().AsTask();
        }
    }
}
