using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// A minimal LMTP responder for one connection: accepts the first message, answers 451 to the DATA of the
/// second. Only for provoking a transient refusal mid-session, which a real server does not do on demand.
/// </summary>
internal sealed class AcceptOnceThenDefer : IAsyncDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly Task<int> run;

    private AcceptOnceThenDefer()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        run = RunAsync();
    }

    public int Port { get; }

    /// <summary>Messages answered with 250, once the connection has ended.</summary>
    public Task<int> Accepted => run;

    public static AcceptOnceThenDefer Start() => new();

    public async ValueTask DisposeAsync()
    {
        listener.Stop();
        try
        {
            await run;
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
        {
            // The assertion on Accepted reports what matters.
        }
    }

    private async Task<int> RunAsync()
    {
        using var client = await listener.AcceptTcpClientAsync(TestContext.Current.CancellationToken);
        using var reader = new StreamReader(client.GetStream(), Encoding.Latin1);
        await using var writer = new StreamWriter(client.GetStream(), Encoding.Latin1) { NewLine = "\r\n", AutoFlush = true };
        await writer.WriteLineAsync("220 flaky lmtp");
        var accepted = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "LHLO":
                    await writer.WriteLineAsync("250 flaky");
                    break;
                case "DATA" when accepted == 0:
                    await writer.WriteLineAsync("354 go");
                    while (await reader.ReadLineAsync() is { } data && data != ".")
                    {
                    }

                    accepted++;
                    await writer.WriteLineAsync("250 2.0.0 saved");
                    break;
                case "DATA":
                    await writer.WriteLineAsync("451 4.2.0 try later");
                    break;
                case "QUIT":
                    await writer.WriteLineAsync("221 bye");
                    return accepted;
                default:
                    await writer.WriteLineAsync("250 ok");
                    break;
            }
        }

        return accepted;
    }
}
