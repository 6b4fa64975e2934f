using CollectorCluster.Delivery.Mda;

namespace CollectorCluster.Delivery.Tests;

public sealed class MdaCommandTests
{
    [Theory]
    [InlineData("/usr/lib/dovecot/dovecot-lda -d fred", "/usr/lib/dovecot/dovecot-lda", new[] { "-d", "fred" })]
    [InlineData("  /bin/prog   a  b ", "/bin/prog", new[] { "a", "b" })]
    [InlineData("/bin/prog 'two words' \"and \\\"quoted\\\"\"", "/bin/prog", new[] { "two words", "and \"quoted\"" })]
    [InlineData("/bin/prog ''", "/bin/prog", new[] { "" })]
    [InlineData("/bin/prog a\\ b $HOME;rm", "/bin/prog", new[] { "a b", "$HOME;rm" })]
    [InlineData("\"/opt/my mda/deliver\" -x", "/opt/my mda/deliver", new[] { "-x" })]
    public void Splits_words_without_a_shell(string line, string program, string[] arguments)
    {
        var command = MdaCommand.Parse(line);

        Assert.Equal(program, command.Program);
        Assert.Equal(arguments, command.Arguments);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("procmail -d fred", "absolute")]
    [InlineData("/bin/prog 'open", "unclosed")]
    [InlineData("/bin/prog \"open", "unclosed")]
    [InlineData("/bin/prog a\u0001", "control")]
    public void Rejects_bad_command_lines_saying_why(string line, string reason)
    {
        var e = Assert.Throws<FormatException>(() => MdaCommand.Parse(line));

        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }
}
