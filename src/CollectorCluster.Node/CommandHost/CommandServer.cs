using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Akka.Event;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// The TCP side of the command host: accepts connections (TLS when configured) and answers each newline-delimited
/// JSON request with one response line, in order, until the client closes. Every input is bounded: at most
/// <see cref="CommandHostOptions.MaxConnections"/> connections (one more gets an error line and is closed), a
/// request line of at most <see cref="CommandWire.MaxRequestBytes"/> counted before parsing, a deadline for the
/// handshake and first request and another between requests, and every request's token checked
/// (<see cref="CommandAuthenticator"/>). A line that is not a well-formed, authenticated request is answered with
/// an error and closes the connection: nothing after it is read, so the HTTP request a web page can make a browser
/// send to this port never reaches its body. Runs inside <c>collector run</c>; disposing stops listening and closes
/// open connections.
/// </summary>
public sealed class CommandServer : IAsyncDisposable
{
    private static readonly UTF8Encoding Utf8 = new(false);
    private readonly TcpListener _listener;
    private readonly CommandHostOptions _options;
    private readonly CommandDispatcher _dispatcher;
    private readonly CommandAuthenticator _authenticator;
    private readonly X509Certificate2? _certificate;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private int _open;
    private int _refusedWhileFull;

    private CommandServer(TcpListener listener, CommandHostOptions options, CommandDispatcher dispatcher, CommandAuthenticator authenticator, X509Certificate2? certificate, ILoggingAdapter log)
    {
        _listener = listener;
        _options = options;
        _dispatcher = dispatcher;
        _authenticator = authenticator;
        _certificate = certificate;
        _log = log;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Where it listens, for the start-up log line.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections open now (for tests and figures).</summary>
    public int OpenConnections => Volatile.Read(ref _open);

    /// <summary>Binds and starts serving; throws <see cref="SocketException"/> when the port is taken.</summary>
    /// <param name="options">The command host's section.</param>
    /// <param name="dispatcher">Serves authenticated requests.</param>
    /// <param name="authenticator">Checks tokens.</param>
    /// <param name="certificate">The TLS certificate with its key; null for plain TCP.</param>
    /// <param name="log">Where refusals are logged.</param>
    public static CommandServer Start(CommandHostOptions options, CommandDispatcher dispatcher, CommandAuthenticator authenticator, X509Certificate2? certificate, ILoggingAdapter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = options.Hostname == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Hostname);
        var listener = new TcpListener(address, options.Port);
        listener.Start(backlog: 512);
        return new CommandServer(listener, options, dispatcher, authenticator, certificate, log);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        var connections = new List<Task>();
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                break;
            }

            connections.RemoveAll(t => t.IsCompleted);
            if (Interlocked.Increment(ref _open) > _options.MaxConnections)
            {
                Interlocked.Decrement(ref _open);
                Refuse(client);
                continue;
            }

            Interlocked.Exchange(ref _refusedWhileFull, 0);
            connections.Add(ServeCountedAsync(client));
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    /// <summary>One connection too many: one error line, sent without waiting (a fresh socket's buffer takes it), and closed.</summary>
    private void Refuse(TcpClient client)
    {
        using var _ = client;
        var error = $"too many connections: {_options.MaxConnections} are open (collector.command-host.max-connections); try again later";
        if (Interlocked.Increment(ref _refusedWhileFull) == 1)
        {
            _log.Warning("Command host: refusing connections: {0} are open (collector.command-host.max-connections)", _options.MaxConnections);
        }

        if (_certificate is not null)
        {
            return; // a TLS client could not read a plain line; it sees the connection closed
        }

        try
        {
            client.Client.Blocking = false;
            client.Client.Send(Utf8.GetBytes(CommandWire.ToLine(CommandResponse.Failure(error)) + "\n"), SocketFlags.None);
        }
        catch (SocketException)
        {
            // It went away already.
        }
    }

    private async Task ServeCountedAsync(TcpClient client)
    {
        try
        {
            await ServeAsync(client).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var peer = client.Client.RemoteEndPoint is IPEndPoint remote ? remote.Address : IPAddress.None;
        try
        {
            Stream stream = client.GetStream();
            if (_certificate is not null)
            {
                var tls = await HandshakeAsync(stream, peer).ConfigureAwait(false);
                if (tls is null)
                {
                    return;
                }

                stream = tls;
            }

            await using (stream.ConfigureAwait(false))
            {
                using var reader = new WireLineReader(stream, CommandWire.MaxRequestBytes);
                if (_authenticator.Refusal(peer) is { } refusal)
                {
                    await SendAsync(stream, CommandWire.ToLine(CommandResponse.Failure(refusal))).ConfigureAwait(false);
                    return;
                }

                await ServeRequestsAsync(stream, reader, peer).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away, was too slow to read, or the node is stopping: nothing to answer.
        }
        catch (Exception e)
        {
            _log.Error(e, "Command host: a connection from {0} failed", peer);
        }
    }

    /// <summary>The TLS handshake within the handshake timeout; null when it failed (logged).</summary>
    private async Task<SslStream?> HandshakeAsync(Stream stream, IPAddress peer)
    {
        var tls = new SslStream(stream, leaveInnerStreamOpen: false);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        deadline.CancelAfter(_options.HandshakeTimeout);
        try
        {
            await tls.AuthenticateAsServerAsync(
                new SslServerAuthenticationOptions
                {
                    ServerCertificate = _certificate,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateRequired = false,
                },
                deadline.Token).ConfigureAwait(false);
            return tls;
        }
        catch (Exception e) when (e is AuthenticationException or IOException || (e is OperationCanceledException && !_stop.IsCancellationRequested))
        {
            _log.Info("Command host: TLS handshake with {0} failed: {1}", peer, e is OperationCanceledException ? $"not done within {_options.HandshakeTimeout}" : TerminalText.Sanitize(e.Message));
            await tls.DisposeAsync().ConfigureAwait(false);
            return null;
        }
    }

    private async Task ServeRequestsAsync(Stream stream, WireLineReader reader, IPAddress peer)
    {
        var first = true;
        while (true)
        {
            var wait = first ? _options.HandshakeTimeout : _options.IdleTimeout;
            string? line;
            using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token))
            {
                deadline.CancelAfter(wait);
                try
                {
                    line = await reader.ReadLineAsync(deadline.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                {
                    await CloseWithAsync(stream, peer, $"no request within {wait} ({(first ? "handshake" : "idle")}-timeout)", log: false).ConfigureAwait(false);
                    return;
                }
                catch (WireFormatException e)
                {
                    await CloseWithAsync(stream, peer, "bad request: " + e.Message).ConfigureAwait(false);
                    return;
                }
            }

            if (line is null)
            {
                return;
            }

            first = false;
            CommandRequest request;
            try
            {
                request = CommandWire.ReadRequest(line);
                _ = request.Words();
            }
            catch (JsonException e)
            {
                await CloseWithAsync(stream, peer, "bad request: " + e.Message).ConfigureAwait(false);
                return;
            }

            if (_authenticator.Refusal(peer) is { } refusal)
            {
                await CloseWithAsync(stream, peer, refusal, log: false).ConfigureAwait(false);
                return;
            }

            if (_authenticator.Check(request.Token, peer) is { } wrong)
            {
                _log.Warning("Command host: refused a request from {0}: {1} token", peer, request.Token is null ? "missing" : "wrong");
                await CloseWithAsync(stream, peer, wrong, log: false).ConfigureAwait(false);
                return;
            }

            var response = await _dispatcher.DispatchAsync(request, frame => SendAsync(stream, CommandWire.ToLine(frame)), _stop.Token).ConfigureAwait(false);
            await SendAsync(stream, CommandWire.ToLine(response)).ConfigureAwait(false);
        }
    }

    /// <summary>Answers with an error that says the connection closes, and lets the caller close it.</summary>
    private async Task CloseWithAsync(Stream stream, IPAddress peer, string error, bool log = true)
    {
        if (log)
        {
            _log.Info("Command host: closed the connection from {0}: {1}", peer, TerminalText.Sanitize(error));
        }

        await SendAsync(stream, CommandWire.ToLine(CommandResponse.Failure(error + "; closing the connection"))).ConfigureAwait(false);
    }

    /// <summary>One line to the client; a client that does not read it within the idle timeout is dropped.</summary>
    private async Task SendAsync(Stream stream, string line)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        deadline.CancelAfter(_options.IdleTimeout);
        await stream.WriteAsync(Utf8.GetBytes(line + "\n"), deadline.Token).ConfigureAwait(false);
        await stream.FlushAsync(deadline.Token).ConfigureAwait(false);
    }
}
