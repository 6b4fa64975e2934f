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
        Assert.Contains("mda:/absolute/program", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lmtp:127.0.0.1:24?rcpt=fred@example.org", "lmtp", "127.0.0.1", 24, false, "fred@example.org", "", "None")]
    [InlineData("LMTP:mail.example.com:2424?rcpt=a@x.org,b@x.org&from=collector@x.org", "lmtp", "mail.example.com", 2424, false, "a@x.org|b@x.org", "collector@x.org", "None")]
    [InlineData("lmtp:unix:/run/dovecot/lmtp?rcpt=fred", "lmtp", "/run/dovecot/lmtp", 0, true, "fred", "", "None")]
    [InlineData("smtp:[::1]:25?rcpt=fred@example.org&rcpt=joe@example.org&tls=starttls", "smtp", "::1", 25, false, "fred@example.org|joe@example.org", "", "StartTls")]
    [InlineData("smtp:relay:587?RCPT=fred%40example.org&tls=none", "smtp", "relay", 587, false, "fred@example.org", "", "None")]
    public void Parses_lmtp_and_smtp(string value, string scheme, string host, int port, bool unix, string recipients, string from, string tls)
    {
        var spec = MailboxSpec.Parse(value, "/base");
        var options = Smtp.SmtpDestinationOptions.FromSpec(spec);

        Assert.Equal(scheme, spec.Scheme);
        Assert.Equal(host, options.Endpoint.Host);
        Assert.Equal(port, options.Endpoint.Port);
        Assert.Equal(unix, options.Endpoint.IsUnixSocket);
        Assert.Equal(recipients.Split('|'), options.Recipients);
        Assert.Equal(from, options.EnvelopeSender);
        Assert.Equal(tls, options.Tls.ToString());
        Assert.Equal(scheme == "lmtp" ? Smtp.SmtpDialect.Lmtp : Smtp.SmtpDialect.Smtp, options.Dialect);
    }

    [Theory]
    [InlineData("lmtp:127.0.0.1:24", "no recipient")]
    [InlineData("lmtp:127.0.0.1?rcpt=a@b", "no port")]
    [InlineData("lmtp:127.0.0.1:0?rcpt=a@b", "port '0'")]
    [InlineData("lmtp:127.0.0.1:99999?rcpt=a@b", "port '99999'")]
    [InlineData("lmtp:::1:24?rcpt=a@b", "brackets")]
    [InlineData("lmtp:unix:run/lmtp?rcpt=a@b", "absolute")]
    [InlineData("lmtp:unix:/run/lmtp?rcpt=a@b&tls=starttls", "Unix socket")]
    [InlineData("smtp:relay:25?rcpt=a@b&auth=plain", "unknown option 'auth'")]
    [InlineData("smtp:relay:25?rcpt=a@b&tls=implicit", "tls='implicit'")]
    [InlineData("smtp:relay:25?rcpt=a%3Eb@c", "not a mail address")]
    [InlineData("smtp:relay:25?rcpt=a@b%0D%0ADATA", "not a mail address")]
    [InlineData("smtp:relay:25?rcpt", "not key=value")]
    [InlineData("mda:procmail -d fred", "absolute path")]
    [InlineData("mda:", "empty")]
    public void Rejects_bad_lmtp_smtp_and_mda_specs_naming_them(string value, string reason)
    {
        var e = Assert.Throws<FormatException>(() => MailboxSpec.Parse(value, "/base"));

        Assert.Contains($"'{value}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Factory_creates_lmtp_smtp_and_mda_destinations_that_ask_for_batches_of_one()
    {
        var lmtp = MessageDestinations.Create(MailboxSpec.Parse("lmtp:127.0.0.1:24?rcpt=fred@example.org", "/"));
        var smtp = MessageDestinations.Create(MailboxSpec.Parse("smtp:relay.example.org:25?rcpt=fred@example.org", "/"));
        var mda = MessageDestinations.Create(MailboxSpec.Parse("mda:/usr/lib/dovecot/dovecot-lda -d fred", "/"));
        var maildir = MessageDestinations.Create(MailboxSpec.Parse("maildir:/srv/mail/fred", "/"));

        Assert.Equal("lmtp:127.0.0.1:24", lmtp.Description);
        Assert.Equal("smtp:relay.example.org:25", smtp.Description);
        Assert.Equal("mda:/usr/lib/dovecot/dovecot-lda -d fred", mda.Description);
        Assert.Equal(1, lmtp.PreferredBatchMessages);
        Assert.Equal(1, smtp.PreferredBatchMessages);
        Assert.Equal(1, mda.PreferredBatchMessages);
        Assert.Null(maildir.PreferredBatchMessages);
    }

    [Fact]
    public void Factory_creates_a_maildir_destination()
    {
        var destination = MessageDestinations.Create(MailboxSpec.Parse("maildir:/srv/mail/fred", "/"));

        Assert.IsType<Maildir.MaildirDestination>(destination);
        Assert.Equal("maildir:/srv/mail/fred", destination.Description);
    }
}
