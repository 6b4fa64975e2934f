namespace CollectorCluster.Wire.Tests;

/// <summary>Text from outside made terminal-safe: every control and direction character visible as an escape, everything else unchanged.</summary>
public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("-ERR \u001b[2J\u001b]0;owned\u0007gone", "-ERR \\x1b[2J\\x1b]0;owned\\x07gone")]
    [InlineData("line\rforged line", "line\\x0dforged line")]
    [InlineData("one\ntwo\r\n", "one\\x0atwo\\x0d\\x0a")]
    [InlineData("tab\there", "tab\\x09here")]
    [InlineData("del\u007f c1\u009b31m", "del\\x7f c1\\x9b31m")]
    [InlineData("evil\u202etxt.exe", "evil\\u202etxt.exe")]
    [InlineData("iso\u2066late\u2069", "iso\\u2066late\\u2069")]
    [InlineData("nul\0", "nul\\x00")]
    [InlineData("bom\ufeff", "bom\\ufeff")]
    public void Unsafe_characters_become_visible_escapes(string text, string expected)
    {
        Assert.Equal(expected, TerminalText.Sanitize(text));
        Assert.False(TerminalText.IsSafe(text));
        Assert.True(TerminalText.IsSafe(TerminalText.Sanitize(text)));
    }

    [Theory]
    [InlineData("+OK Dovecot ready. <1.2@host>")]
    [InlineData("fred@127.0.0.1 | 2026-11-28 15:45:00Z | ok")]
    [InlineData("Grüße, €, 日本語, 😀, 👩‍💻")]
    [InlineData("")]
    public void Ordinary_text_is_unchanged(string text)
    {
        Assert.Same(text, TerminalText.Sanitize(text));
        Assert.True(TerminalText.IsSafe(text));
    }

    [Fact]
    public void A_lone_surrogate_becomes_an_escape() =>
        Assert.Equal("lone \\ud800 surrogate", TerminalText.Sanitize("lone " + (char)0xD800 + " surrogate"));

    [Fact]
    public void Null_is_empty() => Assert.Equal("", TerminalText.Sanitize(null));
}
