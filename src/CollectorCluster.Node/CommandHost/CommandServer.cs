using System.Net;
using System.Net.Sockets;
using System.Text;
using Akka.Event;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// The TCP side of the command host: accepts connections and answers each newline-delimited JSON request with one
/// response line, in order, until the client closes. Runs inside <c>collector run</c>; disposing stops listening
/// and closes open connections.
/// </summary>
public sealed class CommandServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CommandDispatcher _dispatcher;
    private readonly ILoggingAdapter _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;

    private CommandServer(TcpListener listener, CommandDispatcher dispatcher, ILoggingAdapter log)
    {
        _listener = listener;
        _dispatcher = dispatcher;
        _log = log;
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>Where it listens, for the start-up log line.</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Binds and starts serving; throws <see cref="SocketException"/> when the port is taken.</summary>
    public static CommandServer Start(CommandHostOptions options, CommandDispatcher dispatcher, ILoggingAdapter log)
    {
        var address = options.Hostname == "localhost" ? IPAddress.Loopback : IPAddress.Parse(options.Hostname);
        var listener = new TcpListener(address, options.Port);
        listener.Start();
        return new CommandServer(listener, dispatcher, log);
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
            connections.Add(ServeAsync(client));
        }

        await Task.WhenAll(connections).ConfigureAwait(false);
    }

    /// <summary>A progress frame, which the client shows and keeps reading until the answer.</summary>
    private async Task SendFrameAsync(StreamWriter writer, ProgressFrame frame) =>
        await writer.WriteLineAsync(CommandWire.ToLine(frame).AsMemory(), _stop.Token).ConfigureAwait(false);

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        try
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream, new UTF8Encoding(false));
            await using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
            while (await reader.ReadLineAsync(_stop.Token).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                var response = await _dispatcher.DispatchAsync(line, frame => SendFrameAsync(writer, frame), _stop.Token).ConfigureAwait(false);
                await writer.WriteLineAsync(CommandWire.ToLine(response).AsMemory(), _stop.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away or the node is stopping: nothing to answer.
        }
        catch (Exception e)
        {
            _log.Error(e, "Command host: a connection failed");
        }
    }
}
