using System.Net.Sockets;
using System.Net.Security;
using System.Security.Authentication;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Pop3.Protocol;

namespace CollectorCluster.Pop3;

/// <summary>
/// Opens an authenticated POP3 session: TCP, TLS (implicit or STLS, never downgraded), greeting, CAPA,
/// exactly one login attempt with the configured method, and CAPA again (some servers, e.g. Gmail,
/// advertise PIPELINING only after login).
/// </summary>
public static class Pop3Connector
{
    /// <summary>Connects and logs in; every failure is a <see cref="Pop3Exception"/> naming the stage and the server's words.</summary>
    /// <exception cref="Pop3Exception">Connection, TLS, greeting or login failed.</exception>
    public static async Task<IPop3Session> ConnectAsync(Pop3ConnectOptions options, CancellationToken cancellationToken)
    {
        var pin = Prepare(options);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await ConnectSocketAsync(socket, options, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return await StartSessionAsync(new NetworkStream(socket, ownsSocket: true), options, pin, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the session start (TLS, greeting, CAPA, login) over a transport that is already connected, and takes
    /// it over: the protocol is the same whether the bytes come from a socket or from a transcript replayed in memory.
    /// </summary>
    /// <exception cref="Pop3Exception">TLS, greeting or login failed.</exception>
    internal static Task<IPop3Session> ConnectAsync(Stream transport, Pop3ConnectOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transport);
        var pin = Prepare(options);
        return StartSessionAsync(transport, options, pin, cancellationToken);
    }

    /// <summary>Checks the options and normalises the certificate pin (null when none is configured).</summary>
    private static string? Prepare(Pop3ConnectOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);
        if (options.CertificateSha256 is not { Length: > 0 } configuredPin)
        {
            return null;
        }

        return CertificatePolicy.NormalizePin(configuredPin)
            ?? throw new Pop3Exception(Pop3Stage.Tls, Pop3ErrorKind.Certificate, $"The pinned certificate SHA-256 for {options.Endpoint} is not 64 hex digits.");
    }

    private static async Task<IPop3Session> StartSessionAsync(Stream transport, Pop3ConnectOptions options, string? pin, CancellationToken cancellationToken)
    {
        Pop3Wire? wire = new Pop3Wire(transport, options.Endpoint, options.Password.Reveal(), options.ConnectTimeout, options.Limits, options.Clock);
        try
        {
            if (options.Tls == TlsMode.Implicit)
            {
                await HandshakeAsync(wire, options, pin, cancellationToken).ConfigureAwait(false);
            }

            Pop3Reply greeting;
            using (wire.Begin(cancellationToken))
            {
                wire.Stage = Pop3Stage.Greeting;
                greeting = await wire.ReadReplyAsync("the greeting").ConfigureAwait(false);
                if (!greeting.IsOk)
                {
                    throw wire.Fail(Pop3ErrorKind.ServerRefused, $"POP3 server {options.Endpoint} refused the session: {greeting.Line}", greeting);
                }
            }

            wire.ReadTimeout = options.CommandTimeout;
            var capabilities = await CapaAsync(wire, cancellationToken).ConfigureAwait(false);

            if (options.Tls == TlsMode.StartTls)
            {
                if (capabilities?.Stls != true)
                {
                    wire.Stage = Pop3Stage.Tls;
                    var why = capabilities is null ? "CAPA is not supported" : "CAPA does not list STLS";
                    throw wire.Fail(Pop3ErrorKind.TlsUnavailable, $"STLS is required for {options.Endpoint} but the server does not offer it ({why}); refusing to continue in plain text.");
                }

                using (wire.Begin(cancellationToken))
                {
                    wire.Stage = Pop3Stage.Tls;
                    wire.Queue("STLS");
                    await wire.FlushAsync().ConfigureAwait(false);
                    var reply = await wire.ReadReplyAsync("STLS").ConfigureAwait(false);
                    if (!reply.IsOk)
                    {
                        throw wire.Fail(Pop3ErrorKind.TlsUnavailable, $"STLS refused by {options.Endpoint}: {reply.Line}", reply);
                    }
                }

                await HandshakeAsync(wire, options, pin, cancellationToken).ConfigureAwait(false);
                capabilities = await CapaAsync(wire, cancellationToken).ConfigureAwait(false);
            }

            using (wire.Begin(cancellationToken))
            {
                await Pop3Authenticator.LoginAsync(wire, options, greeting.Text, cancellationToken).ConfigureAwait(false);
            }

            capabilities = await CapaAsync(wire, cancellationToken).ConfigureAwait(false) ?? capabilities;
            var session = new Pop3Session(wire, capabilities ?? Pop3ServerCapabilities.WithoutCapa, options.MaxMessageSize);
            wire = null;
            return session;
        }
        finally
        {
            if (wire is not null)
            {
                await wire.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Validate(Pop3ConnectOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Host) || options.Port is < 1 or > 65535)
        {
            throw new ArgumentException($"Invalid POP3 endpoint '{options.Endpoint}'.", nameof(options));
        }

        if (options.User.Length == 0 || options.User.AsSpan().IndexOfAny("\r\n ") >= 0)
        {
            throw new ArgumentException($"Invalid POP3 user name '{options.User}' (empty, or contains a space or line break).", nameof(options));
        }

        ArgumentNullException.ThrowIfNull(options.Password);
        if (options.ConnectTimeout <= TimeSpan.Zero || options.CommandTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException("Timeouts must be positive.", nameof(options));
        }

        ArgumentNullException.ThrowIfNull(options.Limits);
        options.Limits.Validate();
    }

    private static async Task ConnectSocketAsync(Socket socket, Pop3ConnectOptions options, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new Pop3Exception(Pop3Stage.Connect, Pop3ErrorKind.Timeout, $"Connecting to {options.Endpoint} timed out after {options.ConnectTimeout.TotalSeconds:0.###} s.", innerException: ex);
        }
        catch (SocketException ex)
        {
            throw new Pop3Exception(Pop3Stage.Connect, Pop3ErrorKind.Network, $"Cannot connect to {options.Endpoint}: {ex.SocketErrorCode} ({ex.Message}).", innerException: ex);
        }
    }

    private static async Task HandshakeAsync(Pop3Wire wire, Pop3ConnectOptions options, string? pin, CancellationToken cancellationToken)
    {
        wire.Stage = Pop3Stage.Tls;
        var policy = new CertificatePolicy(options.Host, options.VerifyCertificate, pin);
        var ssl = new SslClientAuthenticationOptions
        {
            TargetHost = options.Host,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = policy.Validate,
        };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await wire.UpgradeToTlsAsync(ssl, timeout.Token).ConfigureAwait(false);
        }
        catch (AuthenticationException ex) when (policy.Failure is not null)
        {
            throw wire.Fail(Pop3ErrorKind.Certificate, $"TLS to {options.Endpoint} refused: {policy.Failure}.", inner: ex);
        }
        catch (AuthenticationException ex)
        {
            throw wire.Fail(Pop3ErrorKind.TlsUnavailable, $"TLS handshake with {options.Endpoint} failed: {ex.Message}", inner: ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw wire.Fail(Pop3ErrorKind.Timeout, $"TLS handshake with {options.Endpoint} timed out after {options.ConnectTimeout.TotalSeconds:0.###} s.", inner: ex);
        }
        catch (Exception ex) when (ex is IOException or SocketException)
        {
            throw wire.Fail(Pop3ErrorKind.Network, $"Connection to {options.Endpoint} failed during the TLS handshake: {ex.Message}", inner: ex);
        }
    }

    /// <summary>CAPA (RFC 2449); null when the server answers -ERR (it predates CAPA).</summary>
    private static async Task<Pop3ServerCapabilities?> CapaAsync(Pop3Wire wire, CancellationToken cancellationToken)
    {
        using var scope = wire.Begin(cancellationToken);
        wire.Stage = Pop3Stage.Capabilities;
        wire.Queue("CAPA");
        await wire.FlushAsync().ConfigureAwait(false);
        var reply = await wire.ReadReplyAsync("CAPA").ConfigureAwait(false);
        if (!reply.IsOk)
        {
            return null;
        }

        var lines = new List<string>();
        while (true)
        {
            var (hasLine, line) = await wire.ReadListLineAsync("CAPA").ConfigureAwait(false);
            if (!hasLine)
            {
                return CapabilityParser.Parse(lines);
            }

            if (lines.Count == Pop3Limits.MaxCapabilityLines)
            {
                throw wire.Fail(Pop3ErrorKind.LimitExceeded, $"{wire.Endpoint} sent more than {Pop3Limits.MaxCapabilityLines} CAPA lines; session cut off");
            }

            lines.Add(Pop3Text.Decode(line.Span));
        }
    }
}
