using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Core.Planning;
using CollectorCluster.Pop3.Tests.Replay;

namespace CollectorCluster.Pop3.Tests;

/// <summary>
/// The engine's limits (issue 12), against transcripts of misbehaving servers replayed from memory: line length
/// before parsing, lines per listing, UIDLs outside RFC 1939, body bytes past the listed size. Each failure names the
/// server, the command and the limit, and ends the session.
/// </summary>
public sealed class LimitTests
{
    private static readonly Pop3Limits Small = Pop3Limits.Default with { MaxLineLength = 512, MaxListedMessages = 3, BodySlack = 100 };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Pop3ConnectOptions Options(Pop3Limits? limits = null, long maxMessageSize = 0) =>
        TestOptions.For(110) with { Limits = limits ?? Small, MaxMessageSize = maxMessageSize };

    private static Task<IPop3Session> ConnectAsync(Pop3ReplayStream replay, Pop3Limits? limits = null, long maxMessageSize = 0) =>
        Pop3Connector.ConnectAsync(replay, Options(limits, maxMessageSize), Ct);

    private static async Task<string> ReadAllAsync(Stream stream, CancellationToken ct)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, ct);
        return Encoding.ASCII.GetString(copy.ToArray());
    }

    [Fact]
    public async Task A_greeting_longer_than_max_line_length_ends_the_session_before_it_is_parsed()
    {
        var replay = HostileTranscript.Greeting("+OK " + new string('g', 600)).Replay();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => ConnectAsync(replay));

        Assert.Equal(Pop3ErrorKind.LimitExceeded, ex.Kind);
        Assert.Equal(Pop3Stage.Greeting, ex.Stage);
        Assert.False(ex.IsTransient);
        Assert.StartsWith("127.0.0.1:110 sent a line longer than 512 bytes in the reply to the greeting (collector.pop3.max-line-length)", ex.Message);
        Assert.True(replay.Closed);
    }

    [Fact]
    public async Task A_line_at_the_limit_is_accepted()
    {
        var uidl = new string('a', 70);
        var replay = HostileTranscript.AfterLogin()
            .Client("UIDL").Server(["+OK", "1 " + uidl, "."])
            .Client("LIST").Server(["+OK " + new string('x', 512 - 4), "1 10", "."])
            .Replay();
        await using var session = await ConnectAsync(replay);
        Assert.Equal([new ListedMessage(1, uidl, 10)], await session.ListAsync(Ct));
        Assert.Empty(session.Warnings);
    }

    [Theory]
    [InlineData("UIDL")]
    [InlineData("LIST")]
    public async Task A_listing_line_longer_than_max_line_length_names_the_command(string command)
    {
        var t = HostileTranscript.AfterLogin().Client("UIDL");
        t = command == "UIDL"
            ? t.Server(["+OK", "1 " + new string('u', 2000)])
            : t.Server(["+OK", "1 a", "."]).Client("LIST").Server(["+OK", "1 " + new string('9', 600)]);
        await using var session = await ConnectAsync(t.Replay(readSize: 100));
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.ListAsync(Ct));

        Assert.Equal(Pop3ErrorKind.LimitExceeded, ex.Kind);
        Assert.Equal(Pop3Stage.List, ex.Stage);
        Assert.Contains($"line longer than 512 bytes in the reply to {command}", ex.Message);
        var dead = await Assert.ThrowsAsync<Pop3Exception>(() => session.ListAsync(Ct));
        Assert.Contains("no longer usable", dead.Message);
    }

    [Fact]
    public async Task A_capa_line_longer_than_max_line_length_ends_the_session()
    {
        var replay = HostileTranscript.Greeting("+OK ready").Client("CAPA").Server(["+OK", "IMPLEMENTATION " + new string('i', 1000)]).Replay();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => ConnectAsync(replay));
        Assert.Equal(Pop3ErrorKind.LimitExceeded, ex.Kind);
        Assert.Equal(Pop3Stage.Capabilities, ex.Stage);
        Assert.Contains("in the reply to CAPA", ex.Message);
    }

    [Fact]
    public async Task A_capa_listing_of_too_many_lines_ends_the_session()
    {
        var lines = Enumerable.Range(0, Pop3Limits.MaxCapabilityLines + 1).Select(i => $"X-CAP-{i}");
        var replay = HostileTranscript.Greeting("+OK ready").Client("CAPA").Server("+OK").Server(lines).Server(".").Replay();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => ConnectAsync(replay));
        Assert.Equal(Pop3ErrorKind.LimitExceeded, ex.Kind);
        Assert.Contains($"more than {Pop3Limits.MaxCapabilityLines} CAPA lines", ex.Message);
    }

    [Fact]
    public async Task A_uidl_listing_longer_than_max_listed_messages_is_refused_at_the_next_line()
    {
        var replay = HostileTranscript.AfterLogin()
            .Client("UIDL").Server(["+OK", "1 a", "2 b", "3 c", "4 d", "5 e", "."])
            .Replay();
        await using var session = await ConnectAsync(replay);
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.ListAsync(Ct));

        Assert.Equal(Pop3ErrorKind.LimitExceeded, ex.Kind);
        Assert.Equal(Pop3Stage.List, ex.Stage);
        Assert.Equal("127.0.0.1:110 listed more than 3 messages in its reply to UIDL (collector.pop3.max-listed-messages = 3); session cut off at line 4", ex.Message);
    }

    [Fact]
    public async Task A_list_listing_longer_than_max_listed_messages_is_refused()
    {
        var replay = HostileTranscript.AfterLogin()
            .Client("UIDL").Server("-ERR no UIDL here")
            .Client("LIST").Server(["+OK", "1 1", "2 2", "3 3", "4 4", "."])
            .Replay();
        await using var session = await ConnectAsync(replay);
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.ListAsync(Ct));
        Assert.Equal(Pop3ErrorKind.LimitExceeded, ex.Kind);
        Assert.Contains("in its reply to LIST", ex.Message);
    }

    [Fact]
    public async Task A_listing_of_exactly_max_listed_messages_is_accepted()
    {
        var replay = HostileTranscript.AfterLogin()
            .Client("UIDL").Server(["+OK", "1 a", "2 b", "3 c", "."])
            .Client("LIST").Server(["+OK", "1 1", "2 2", "3 3", "."])
            .Replay();
        await using var session = await ConnectAsync(replay);
        Assert.Equal(3, (await session.ListAsync(Ct)).Count);
        replay.AssertFinished();
    }

    public static TheoryData<string, byte[]> Nonconforming() => new()
    {
        { "71 characters", Encoding.ASCII.GetBytes(new string('7', 71)) },
        { "a space inside", Encoding.ASCII.GetBytes("has space") },
        { "an ESC inside", Encoding.ASCII.GetBytes("esc\u001b[2Jhere") },
        { "UTF-8", Encoding.UTF8.GetBytes("caf\u00e9") },
    };

    [Theory]
    [MemberData(nameof(Nonconforming))]
    public async Task A_uidl_outside_rfc_1939_is_keyed_by_its_sha256_and_flagged_once(string what, byte[] raw)
    {
        var replay = HostileTranscript.AfterLogin()
            .Client("UIDL").Server(["+OK", "1 ok-uidl", "2 " + Encoding.UTF8.GetString(raw), "3 " + Encoding.UTF8.GetString(raw) + "x", "."])
            .Client("LIST").Server(["+OK", "1 10", "2 20", "3 30", "."])
            .Replay();
        await using var session = await ConnectAsync(replay);
        var listing = await session.ListAsync(Ct);

        var key = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(raw));
        Assert.Equal(71, key.Length); // longer than any conforming UIDL, so it never stands for a real one
        Assert.Equal(["ok-uidl", key], listing.Take(2).Select(m => m.Uidl));
        Assert.StartsWith("sha256:", listing[2].Uidl);
        Assert.NotEqual(key, listing[2].Uidl);
        var warning = Assert.Single(session.Warnings);
        Assert.Contains("127.0.0.1:110 sent 2 UIDL(s) that RFC 1939 does not allow (1 to 70 printable characters)", warning);
        Assert.Contains($"message 2's is {raw.Length} bytes", warning);
        Assert.DoesNotContain('\u001b', warning);
        Assert.True(warning.Length < 400, what);
    }

    [Fact]
    public async Task Trailing_blanks_after_a_uidl_are_not_part_of_it()
    {
        var replay = HostileTranscript.AfterLogin()
            .Client("UIDL").Server(["+OK", "1 abc  ", "."])
            .Client("LIST").Server(["+OK", "1 10", "."])
            .Replay();
        await using var session = await ConnectAsync(replay);
        Assert.Equal("abc", Assert.Single(await session.ListAsync(Ct)).Uidl);
        Assert.Empty(session.Warnings);
    }

    [Fact]
    public async Task A_body_past_twice_its_listed_size_plus_slack_is_cut_off_before_the_consumer_gets_the_excess()
    {
        // Listed at 10 bytes: the limit is 2 x 10 + 100 slack = 120.
        var lines = Enumerable.Range(0, 50).Select(i => $"line {i:D4} of a body far longer than its listing");
        var replay = HostileTranscript.AfterLogin().Client("RETR 1").Server("+OK").Server(lines).Server(".").Replay();
        await using var session = await ConnectAsync(replay);
        long consumed = 0;
        var completed = false;
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.RetrieveAsync([new(1, "big1", 10)], async (_, stream, ct) =>
        {
            var buffer = new byte[7];
            int n;
            while ((n = await stream.ReadAsync(buffer, ct)) > 0)
            {
                consumed += n;
            }

            completed = true;
        }, Ct));

        Assert.False(completed);
        Assert.True(consumed <= 120, $"the consumer read {consumed} bytes");
        Assert.Equal(Pop3ErrorKind.LimitExceeded, ex.Kind);
        Assert.Equal(Pop3Stage.Retrieve, ex.Stage);
        Assert.Equal(
            "127.0.0.1:110 sent more than 120 bytes for message 1 (UIDL big1), listed at 10 bytes (limit: twice the listed size + collector.pop3.body-slack 100); RETR cut off, nothing of the message is delivered, recorded or deleted",
            ex.Message);
        Assert.Equal(new Pop3BodyOverrun(1, "big1", 10, 120, ByMaxMessageSize: false), ex.Overrun);
        Assert.Equal(CollectorCluster.Core.Policy.FailureCause.MessageOverrun, Pop3FailureClassifier.Classify(ex)); // an operator's case
        await Assert.ThrowsAsync<Pop3Exception>(() => session.DeleteAsync([new(1, "big1", 10)], Ct)); // the session is over
    }

    [Fact]
    public async Task Max_message_size_bounds_a_body_listed_below_it()
    {
        // Listed at 400 with max-message-size 500: the limit is min(2 x 400, 500) + 100 = 600.
        var body = Enumerable.Range(0, 20).Select(i => new string((char)('a' + i), 38)).ToList(); // 20 x 40 = 800 bytes
        var replay = HostileTranscript.AfterLogin().Client("RETR 1").Server("+OK").Server(body).Server(".").Replay();
        await using var session = await ConnectAsync(replay, maxMessageSize: 500);
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.RetrieveAsync([new(1, "m", 400)], (_, stream, ct) => ReadAllAsync(stream, ct), Ct));
        Assert.Contains("sent more than 600 bytes for message 1 (UIDL m), listed at 400 bytes (limit: max-message-size 500 + collector.pop3.body-slack 100)", ex.Message);
        Assert.Equal(new Pop3BodyOverrun(1, "m", 400, 600, ByMaxMessageSize: true), ex.Overrun);
    }

    [Fact]
    public async Task A_body_within_twice_its_listed_size_is_delivered_whole()
    {
        // A server that stores LF and sends CRLF: 20 empty lines listed as 20 bytes arrive as 40.
        var replay = HostileTranscript.AfterLogin().Client("RETR 1").Server("+OK").Server(Enumerable.Repeat(string.Empty, 20)).Server(".")
            .Client("QUIT").Server("+OK").Replay();
        await using var session = await ConnectAsync(replay, Small with { BodySlack = 0 });
        string? got = null;
        await session.RetrieveAsync([new(1, "lf", 20)], async (_, stream, ct) => got = await ReadAllAsync(stream, ct), Ct);
        Assert.Equal(string.Concat(Enumerable.Repeat("\r\n", 20)), got);
        Assert.True(await session.QuitAsync(Ct));
        replay.AssertFinished();
    }

    [Fact]
    public async Task The_unread_rest_of_a_body_is_held_to_the_same_limit_when_drained()
    {
        var lines = Enumerable.Range(0, 50).Select(i => $"line {i:D4} of a body far longer than its listing");
        var replay = HostileTranscript.AfterLogin().Client("RETR 1").Server("+OK").Server(lines).Server(".").Replay();
        await using var session = await ConnectAsync(replay);
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.RetrieveAsync([new(1, "d", 10)], async (_, stream, ct) =>
        {
            await stream.ReadExactlyAsync(new byte[4], ct); // reads a little; the engine drains the rest
        }, Ct));
        Assert.Equal(Pop3ErrorKind.LimitExceeded, ex.Kind);
        Assert.Contains("message 1 (UIDL d)", ex.Message);
    }

    [Fact]
    public async Task Top_of_a_header_that_never_ends_is_cut_off_at_the_limit()
    {
        var lines = Enumerable.Range(0, 50).Select(i => $"X-Header-{i:D4}: far longer than the message's listed size");
        var replay = HostileTranscript.AfterLogin().Client("TOP 1 0").Server("+OK").Server(lines).Server(".").Replay();
        await using var session = await ConnectAsync(replay);
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.TopHeaderAsync(new(1, "t", 10), 16, Ct));
        Assert.Equal(Pop3ErrorKind.LimitExceeded, ex.Kind);
        Assert.Contains("TOP cut off", ex.Message);
    }

    [Theory]
    [InlineData(0L, 0L, 1024L * 1024)]
    [InlineData(1000L, 0L, 2000L + (1024 * 1024))]
    [InlineData(1000L, 10_000L, 2000L + (1024 * 1024))]
    [InlineData(1_000_000L, 500_000L, 1_000_000L + (1024 * 1024))] // fetched on purpose past max-message-size
    [InlineData(400_000L, 500_000L, 500_000L + (1024 * 1024))]
    [InlineData(long.MaxValue / 2, 0L, long.MaxValue)]
    [InlineData(-5L, 0L, 1024L * 1024)]
    public void Body_limit_table(long listed, long maxMessageSize, long limit) =>
        Assert.Equal(limit, Pop3Limits.Default.BodyLimit(listed, maxMessageSize));

    [Fact]
    public void Limits_out_of_range_name_the_key()
    {
        var d = Pop3Limits.Default;
        (Pop3Limits Limits, string Expected)[] cases =
        [
            (d with { MaxLineLength = 100 }, "max-line-length: 100 is out of range"),
            (d with { MaxLineLength = 2 * 1024 * 1024 }, "max-line-length: 2097152 is out of range"),
            (d with { MaxListedMessages = 0 }, "max-listed-messages: 0 must be at least 1"),
            (d with { BodySlack = -1 }, "body-slack: -1 must not be negative"),
            (d with { DeadlineBase = TimeSpan.Zero }, "session-deadline.base: 00:00:00 must be positive"),
            (d with { DeadlinePerMessage = TimeSpan.FromSeconds(-1) }, "session-deadline.per-message: -00:00:01 must not be negative"),
            (d with { MinThroughput = 0 }, "session-deadline.min-throughput: 0 must be at least 1 byte per second"),
        ];
        foreach (var (limits, expected) in cases)
        {
            Assert.StartsWith(expected, Assert.Throws<ArgumentException>(limits.Validate).Message);
        }

        d.Validate();
    }
}
