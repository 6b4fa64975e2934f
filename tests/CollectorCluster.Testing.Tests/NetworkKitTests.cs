using System.Net;
using System.Net.Sockets;
using CollectorCluster.Testing.Network;

namespace CollectorCluster.Testing.Tests;

/// <summary>The accept loop, the relay and the line I/O every fake server and proxy builds on, over real loopback sockets.</summary>
public sealed class NetworkKitTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_relay_forwards_both_ways_and_sees_each_client_line_before_the_server_does()
    {
        await using var server = new EchoServer();
        await using var relay = new WatchingRelay(server.Port);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, relay.Port, Ct);
        await using var connection = new ServerConnection(client, client.GetStream());

        await connection.SendRawAsync("HEL"u8.ToArray());
        await connection.SendAsync("LO");
        Assert.Equal("echo: HELLO", await connection.ReadLineAsync());
        await connection.SendAsync("second");
        Assert.Equal("echo: second", await connection.ReadLineAsync());

        Assert.Equal(["HELLO", "second"], relay.Lines);
        Assert.Equal(1, relay.ConnectionsAccepted);
        Assert.Equal(["HELLO", "second"], server.Received);
    }

    [Fact]
    public async Task A_cut_connection_forwards_nothing_more_and_ends_for_the_client()
    {
        await using var server = new EchoServer();
        await using var relay = new WatchingRelay(server.Port);
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, relay.Port, Ct);
        await using var connection = new ServerConnection(client, client.GetStream());

        await connection.SendAsync("CUT here");

        Assert.Null(await connection.ReadLineAsync()); // the relay closed the link
        Assert.Equal(["CUT here"], relay.Lines);
        Assert.Empty(server.Received);
    }

    [Fact]
    public async Task A_server_serving_one_connection_at_a_time_completes_after_the_last_and_reports_a_failure()
    {
        await using var server = new FailingSecond();
        for (var i = 0; i < 2; i++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, server.Port, Ct);
            await using var connection = new ServerConnection(client, client.GetStream());
            Assert.Equal($"hello {i + 1}", await connection.ReadLineAsync());
        }

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => server.Completion);
        Assert.Equal("connection 2 failed", failure.Message);
        Assert.Equal(2, server.ConnectionsAccepted);
    }

    [Fact]
    public void Test_servers_bind_loopback_only()
    {
        var ex = Assert.Throws<ArgumentException>(() => new WatchingRelay(1, IPAddress.Any));
        Assert.Contains("loopback", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_splitter_keeps_a_partial_line_for_the_next_chunk()
    {
        var splitter = new LineSplitter();
        Assert.Empty(splitter.Take("US"u8));
        Assert.Equal(["USER fred", "PASS"], splitter.Take("ER fred\r\nPASS\nQU"u8));
        Assert.Equal(["QUIT"], splitter.Take("IT\r\n"u8));
    }

    /// <summary>Answers each line with "echo: LINE" and remembers what it received.</summary>
    private sealed class EchoServer() : LoopbackServer()
    {
        private readonly List<string> received = [];

        public IReadOnlyList<string> Received
        {
            get
            {
                lock (received)
                {
                    return [.. received];
                }
            }
        }

        protected override async Task ServeAsync(TcpClient client, int number, CancellationToken stopping)
        {
            await using var connection = new ServerConnection(client, client.GetStream());
            while (await connection.ReadLineAsync() is { } line)
            {
                lock (received)
                {
                    received.Add(line);
                }

                await connection.SendAsync("echo: " + line);
            }
        }
    }

    /// <summary>Notes every client line and cuts the connection at one that starts with CUT.</summary>
    private sealed class WatchingRelay(int targetPort, IPAddress? address = null) : TcpRelay(targetPort, address)
    {
        private readonly List<string> lines = [];

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (lines)
                {
                    return [.. lines];
                }
            }
        }

        protected override void OnClientLine(RelayConnection connection, string line)
        {
            lock (lines)
            {
                lines.Add(line);
            }

            if (line.StartsWith("CUT", StringComparison.Ordinal))
            {
                connection.Cut();
            }
        }
    }

    /// <summary>Two connections, one after the other; the second fails after its greeting.</summary>
    private sealed class FailingSecond() : LoopbackServer(maxConnections: 2, oneAtATime: true)
    {
        protected override async Task ServeAsync(TcpClient client, int number, CancellationToken stopping)
        {
            await using var connection = new ServerConnection(client, client.GetStream());
            await connection.SendAsync($"hello {number}");
            if (number == 2)
            {
                throw new InvalidOperationException("connection 2 failed");
            }
        }
    }
}
