using System.Text;

namespace CollectorCluster.Pop3.Tests.Replay;

/// <summary>The replay harness itself: it must catch every way a client can depart from a transcript, or the vendor tests prove nothing.</summary>
public sealed class ReplayStreamTests
{
    private const string Exchange = """
        S: +OK ready
        C: CAPA
        S: +OK
        S: UIDL
        S: .
        C: QUIT
        S: +OK bye
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Pop3ReplayStream Replay(string text = Exchange) => new(Pop3Transcript.Parse("test", text));

    [Fact]
    public async Task A_faithful_client_finishes_the_transcript()
    {
        var replay = Replay();
        Assert.Equal("+OK ready\r\n", await ReadAsync(replay));
        await WriteAsync(replay, "CAPA\r\n");
        Assert.Equal("+OK\r\nUIDL\r\n.\r\n", await ReadAsync(replay));
        await WriteAsync(replay, "QUIT\r\n");
        Assert.Equal("+OK bye\r\n", await ReadAsync(replay));
        Assert.Equal(0, await replay.ReadAsync(new byte[16], Ct)); // the server closes after its last line
        replay.AssertFinished();
    }

    [Fact]
    public async Task A_different_command_is_named_with_its_line()
    {
        var replay = Replay();
        await ReadAsync(replay);
        var ex = await Assert.ThrowsAsync<IOException>(() => WriteAsync(replay, "STAT\r\n"));
        Assert.Contains("line 2 expects the client to send 'CAPA', it sent 'STAT'", ex.Message);
        Assert.Throws<Xunit.Sdk.XunitException>(replay.AssertFinished);
    }

    [Fact]
    public async Task Waiting_for_a_reply_to_a_command_never_sent_is_a_divergence()
    {
        var replay = Replay();
        await ReadAsync(replay);
        Assert.Equal(0, await replay.ReadAsync(new byte[16], Ct));
        var ex = Assert.Throws<Xunit.Sdk.XunitException>(replay.AssertFinished);
        Assert.Contains("the client waits for a reply, but the server waits for the command at line 2 (C: CAPA)", ex.Message);
    }

    [Fact]
    public async Task Stopping_early_leaves_the_transcript_unfinished()
    {
        var replay = Replay();
        await ReadAsync(replay);
        await WriteAsync(replay, "CAPA\r\n");
        var ex = Assert.Throws<Xunit.Sdk.XunitException>(replay.AssertFinished);
        Assert.Contains("the session ended before line", ex.Message);
    }

    [Fact]
    public async Task Pipelined_commands_are_accepted_outside_lockstep_and_served_in_order()
    {
        var replay = Replay();
        await ReadAsync(replay);
        await WriteAsync(replay, "CAPA\r\nQUIT\r\n");
        Assert.Equal("+OK\r\nUIDL\r\n.\r\n+OK bye\r\n", await ReadAsync(replay));
        replay.AssertFinished();
    }

    [Fact]
    public async Task Small_reads_split_lines_but_deliver_every_byte()
    {
        var replay = new Pop3ReplayStream(Pop3Transcript.Parse("test", Exchange), maxReadSize: 2);
        var greeting = new StringBuilder();
        var buffer = new byte[64];
        while (!greeting.ToString().EndsWith("\r\n", StringComparison.Ordinal))
        {
            var n = await replay.ReadAsync(buffer, Ct);
            Assert.InRange(n, 1, 2);
            greeting.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        Assert.Equal("+OK ready\r\n", greeting.ToString());
    }

    [Theory]
    [InlineData("X: what", "test:1: a transcript line starts with")]
    [InlineData("S:no space", "test:1: a transcript line starts with")]
    [InlineData("@pipelining off", "test:1: unknown directive")]
    public void Malformed_transcripts_name_the_line(string text, string expected)
    {
        var ex = Assert.Throws<FormatException>(() => Pop3Transcript.Parse("test", text));
        Assert.StartsWith(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Rendering_and_parsing_round_trip_empty_lines_and_comments()
    {
        var steps = new[] { new TranscriptStep(false, "+OK", 0), new TranscriptStep(false, string.Empty, 0), new TranscriptStep(true, "QUIT", 0) };
        var text = Pop3Transcript.Render(["a comment"], steps);
        Assert.Equal("# a comment\nS: +OK\nS:\nC: QUIT\n", text);
        Assert.Equal(steps.Select(s => (s.FromClient, s.Text)), Pop3Transcript.Parse("test", text).Steps.Select(s => (s.FromClient, s.Text)));
    }

    private static async Task<string> ReadAsync(Stream stream)
    {
        var buffer = new byte[4096];
        return Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer, Ct));
    }

    private static Task WriteAsync(Stream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), Ct).AsTask();
}
