namespace CollectorCluster.Delivery.Tests;

public sealed class MailboxSpecTests
{
    [Theory]
    [InlineData("maildir:/srv/mail/fred", "/base", "/srv/mail/fred")]
    [InlineData("maildir:/srv/mail/fred/", "/base", "/srv/mail/fred")]
    [InlineData("MailDir:/srv/mail/fred", "/base", "/srv/mail/fred")]
    [InlineData("  maildir:/srv/mail/fred  ", "/base", "/srv/mail/fred")]
    [InlineData("maildir:mail/fred", "/base", "/base/mail/fred")]
    [InlineData("maildir:./mail", "/base/", "/base/mail")]
    [InlineData("maildir:../mail", "/base/sub", "/base/mail")]
    [InlineData("maildir:/srv/a/../b", "/base", "/srv/b")]
    public void Parses_maildir(string value, string baseDirectory, string expected)
    {
        var spec = MailboxSpec.Parse(value, baseDirectory);

        Assert.Equal("maildir", spec.Scheme);
        Assert.Equal(expected, spec.Location);
        Assert.Equal("maildir:" + expected, spec.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("/srv/mail/fred")]
    [InlineData("fred")]
    [InlineData(":/srv/mail")]
    [InlineData("maildir:")]
    [InlineData("mbox:/var/mail/fred")]
    [InlineData("maildir:/srv/\0mail")]
    public void Rejects_malformed_values_naming_them_and_the_accepted_forms(string value)
    {
        var e = Assert.Throws<FormatException>(() => MailboxSpec.Parse(value, "/base"));

        Assert.Contains($"'{value}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("maildir:/absolute/path", e.Message, StringComparison.Ordinal);
        Assert.Contains("lmtp:host:port", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lmtp:mail.example.com:24", "lmtp")]
    [InlineData("LMTP:mail.example.com:24", "lmtp")]
    [InlineData("smtp:relay.example.com:25", "smtp")]
    [InlineData("mda:/usr/bin/procmail -d fred", "mda")]
    public void Recognises_planned_schemes_as_not_supported_yet(string value, string scheme)
    {
        var e = Assert.Throws<NotSupportedException>(() => MailboxSpec.Parse(value, "/base"));

        Assert.Contains("not supported yet", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{scheme}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_creates_a_maildir_destination()
    {
        var destination = MessageDestinations.Create(MailboxSpec.Parse("maildir:/srv/mail/fred", "/"));

        Assert.IsType<Maildir.MaildirDestination>(destination);
        Assert.Equal("maildir:/srv/mail/fred", destination.Description);
    }
}
