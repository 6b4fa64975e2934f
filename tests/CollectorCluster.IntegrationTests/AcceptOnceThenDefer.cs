using System.Net.Sockets;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// A minimal LMTP responder for one connection: accepts the first message, answers 451 to the DATA of the
/// second. Only for provoking a transient refusal mid-session, which a real server does not do on demand.
/// </summary>
internal sealed class AcceptOnceThenDefer() : LoopbackServer(maxConnections: 1)
{
    private int accepted;

    /// <summary>Messages answered with 250, once the connection has ended.</summary>
    public Task<int> Accepted => AcceptedAsync();

    public static AcceptOnceThenDefer Start() => new();

    /// <inheritdoc />
    protected override async Task ServeAsync(TcpClient client, int number, CancellationToken stopping)
    {
        await using var connection = new ServerConnection(client, client.GetStream());
        await connection.SendAsync("220 flaky lmtp");
        while (await connection.ReadLineAsync() is { } line)
        {
            var verb = line.Split(' ', 2)[0].ToUpperInvariant();
            switch (verb)
            {
                case "LHLO":
                    await connection.SendAsync("250 flaky");
                    break;
                case "DATA" when accepted == 0:
                    await connection.SendAsync("354 go");
                    while (await connection.ReadLineAsync() is { } data && data != ".")
                    {
                    }

                    accepted++;
                    await connection.SendAsync("250 2.0.0 saved");
                    break;
                case "DATA":
                    await connection.SendAsync("451 4.2.0 try later");
                    break;
                case "QUIT":
                    await connection.SendAsync("221 bye");
                    return;
                default:
                    await connection.SendAsync("250 ok");
                    break;
            }
        }
    }

    private async Task<int> AcceptedAsync()
    {
        await Completion;
        return accepted;
    }
}
