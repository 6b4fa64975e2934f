using CollectorCluster.Pop3.Protocol;
using CollectorCluster.Pop3.Tests.Replay;

namespace CollectorCluster.Pop3.Tests;

/// <summary>
/// Server text is sanitized at the engine's boundary (issue 12): whatever a server sends that reaches an error,
/// a warning or a log (greeting, -ERR text, response codes, CAPA IMPLEMENTATION and EXPIRE) has its control
/// characters escaped and is length-bounded, so it can neither forge log lines nor drive a terminal.
/// </summary>
public sealed class SanitizeTests
{
    private const string Esc = "\u001b";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("plain text", "plain text")]
    [InlineData("red \u001b[31malert\u001b[0m", "red \\x1B[31malert\\x1B[0m")]
    [InlineData("two\r\nlines", "two\\x0D\\x0Alines")]
    [InlineData("nul\0byte", "nul\\x00byte")]
    [InlineData("tab\there", "tab\\x09here")]
    [InlineData("del\u007f c1\u009b", "del\\x7F c1\\x9B")]
    [InlineData("bidi \u202egnp.exe", "bidi \\u202Egnp.exe")]
    [InlineData("line\u2028sep", "line\\u2028sep")]
    [InlineData("caf\u00e9 \u4e2d", "caf\u00e9 \u4e2d")]
    public void Control_characters_become_visible_escapes(string raw, string shown) =>
        Assert.Equal(shown, Pop3Text.Sanitize(raw));

    [Fact]
    public void Text_is_length_bounded()
    {
        Assert.Equal(new string('a', 200) + "...", Pop3Text.Sanitize(new string('a', 5000)));
        var escaped = Pop3Text.Sanitize(string.Concat(Enumerable.Repeat(Esc, 5000)));
        Assert.True(escaped.Length <= 210, $"{escaped.Length} characters");
        Assert.EndsWith("...", escaped);
        Assert.Equal("ab...", Pop3Text.Sanitize("ab\ud83d\ude00", 3)); // never half a surrogate pair
    }

    [Fact]
    public async Task A_refused_greeting_with_escape_sequences_reaches_the_error_escaped()
    {
        var greeting = $"-ERR [SYS/TEMP] {Esc}[2J{Esc}]0;pwned\u0007 go away\u0085now";
        var replay = HostileTranscript.Greeting(greeting).Replay();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(replay, TestOptions.For(110), Ct));

        AssertPrintable(ex.Message);
        AssertPrintable(ex.ServerReply!);
        Assert.Equal("SYS/TEMP", ex.ResponseCode);
        Assert.Contains("\\x1B[2J\\x1B]0;pwned\\x07 go away\\x85now", ex.ServerReply);
    }

    [Fact]
    public async Task A_huge_err_line_is_bounded_in_the_error()
    {
        var replay = HostileTranscript.Greeting("-ERR " + new string('z', 8000)).Replay();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(replay, TestOptions.For(110), Ct));
        Assert.True(ex.Message.Length < 400, $"{ex.Message.Length} characters");
        Assert.True(ex.ServerReply!.Length <= 203);
    }

    [Theory]
    [InlineData("-ERR [IN-USE\u001b[31m] busy")]
    [InlineData("-ERR [\u0000] nul")]
    public async Task A_response_code_with_controls_is_no_response_code(string reply)
    {
        var replay = HostileTranscript.Greeting(reply).Replay();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(replay, TestOptions.For(110), Ct));
        Assert.Null(ex.ResponseCode);
        AssertPrintable(ex.Message);
    }

    [Fact]
    public async Task A_response_code_longer_than_64_characters_is_no_response_code()
    {
        var replay = HostileTranscript.Greeting($"-ERR [{new string('C', 65)}] long").Replay();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(replay, TestOptions.For(110), Ct));
        Assert.Null(ex.ResponseCode);
    }

    [Fact]
    public async Task Capa_texts_are_sanitized_and_junk_sasl_names_dropped()
    {
        var capa = new[]
        {
            "+OK", "UIDL", $"IMPLEMENTATION Evil{Esc}[8m hidden {new string('i', 3000)}", $"EXPIRE 30{Esc}[1m USER",
            "SASL PLAIN " + Esc + "[0m X-TOO-LONG-MECHANISM-NAME-HERE login", ".",
        };
        var replay = HostileTranscript.Greeting("+OK ready").Client("CAPA").Server(capa)
            .Client("USER fred").Server("+OK").Client($"PASS {TestOptions.Password}").Server("+OK")
            .Client("CAPA").Server(capa).Replay();
        await using var session = await Pop3Connector.ConnectAsync(replay, TestOptions.For(110) with { Limits = Pop3Limits.Default with { MaxLineLength = 4096 } }, Ct);

        var caps = session.Capabilities;
        AssertPrintable(caps.Implementation!);
        Assert.StartsWith("Evil\\x1B[8m hidden iii", caps.Implementation);
        Assert.True(caps.Implementation!.Length <= 203);
        Assert.Equal("30\\x1B[1m USER", caps.Expire);
        Assert.Equal(["PLAIN", "LOGIN"], caps.SaslMechanisms);
    }

    private static void AssertPrintable(string text) =>
        Assert.DoesNotContain(text, c => c < ' ' || c is >= '\u007f' and <= '\u009f');
}
