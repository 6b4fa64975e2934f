using System.Text;

namespace CollectorCluster.Pop3.Tests.Replay;

/// <summary>
/// A Courier-style server (courier-session.txt, written from Courier's documented behaviour): its CAPA wording and
/// LOGIN-DELAY, its LIST greeting line, and its login process that refuses what a client pipelines past PASS.
/// </summary>
public sealed class CourierTranscriptTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    public async Task A_courier_session_logs_in_without_pipelining_past_pass_and_collects(int readSize)
    {
        var replay = Pop3ReplayStream.Of("courier-session.txt", readSize);
        var result = await ReplayedSession.ReplayAsync(replay, Ct);

        Assert.Equal("Courier Mail Server", result.Capabilities.Implementation);
        Assert.Equal(10, result.Capabilities.LoginDelaySeconds);
        Assert.True(result.Capabilities.Pipelining);
        Assert.Equal([new(1, "1700000000-1", 165), new(2, "1700000000-2", 133)], result.Listing);
        Assert.Equal(
            "From: alice@example.org\r\nTo: fred@example.org\r\nSubject: Courier one\r\nMessage-ID: <courier-1@example.org>\r\n\r\nFirst message.\r\n.a line that starts with a dot\r\n.\r\nEnd.\r\n",
            Encoding.ASCII.GetString(result.Bodies[0]));
        Assert.Equal(result.Listing.Select(m => m.Size), result.Bodies.Select(b => (long)b.Length));
        Assert.True(result.Committed);
        replay.AssertFinished();
    }

    [Fact]
    public async Task A_client_pipelining_past_pass_is_refused_as_courier_refuses_it()
    {
        var replay = Pop3ReplayStream.Of("courier-session.txt");
        var buffer = new byte[4096];
        Assert.StartsWith("+OK Hello there.", await ReadAsync(replay, buffer));
        await replay.WriteAsync("CAPA\r\n"u8.ToArray(), Ct);
        Assert.EndsWith("IMPLEMENTATION Courier Mail Server\r\n.\r\n", await ReadAsync(replay, buffer));
        await replay.WriteAsync("USER fred\r\n"u8.ToArray(), Ct);
        Assert.Equal("+OK Password required.\r\n", await ReadAsync(replay, buffer));

        var refused = await Assert.ThrowsAsync<IOException>(async () => await replay.WriteAsync("PASS s3cret\r\nCAPA\r\n"u8.ToArray(), Ct));

        Assert.Contains("'CAPA' (line 22) arrived pipelined", refused.Message);
        Assert.Equal(0, await replay.ReadAsync(buffer, Ct)); // the server is gone
        var unfinished = Assert.Throws<Xunit.Sdk.XunitException>(replay.AssertFinished);
        Assert.Contains("refuses pipelined input", unfinished.Message);
    }

    private static async Task<string> ReadAsync(Stream stream, byte[] buffer) =>
        Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer, Ct));
}
