using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Migration;

namespace CollectorCluster.Core.Tests.Migration;

public sealed class MpoprcParserTests
{
    private static PeerConfig Parse(string text) => MpoprcParser.Parse(text, new ImportContext("/home/joe/.mpoprc", "/home/joe"));

    [Fact]
    public void The_manuals_example_with_defaults_inheritance_and_a_default_alias()
    {
        var config = Parse("""
            # Example for a user configuration file ~/.mpoprc
            defaults
            tls on
            delivery maildir ~/Mail/incoming
            uidls_file ~/.local/share/%U_at_%H

            account freemail
            host pop.freemail.example
            user joe.smith
            passwordeval gpg2 --no-tty -q -d ~/.mpop-password.gpg

            account freemail2 : freemail
            user joey

            account isp
            host mail.isp.example
            auth on
            user 12345
            password "se cret"
            tls_starttls off
            filter	 if [ "`grep "^X-Spam-Status: Yes"`" ]; then exit 1; else exit 0; fi

            account default : freemail
            """);
        Assert.Equal(["freemail", "freemail2", "isp"], config.Accounts.Select(a => a.Name));
        var freemail = config.Accounts[0];
        Assert.Equal(("pop.freemail.example", "joe.smith", TlsMode.StartTls), (freemail.Server, freemail.User, freemail.Ssl));
        Assert.Equal("gpg2 --no-tty -q -d ~/.mpop-password.gpg", freemail.Password.Command);
        Assert.Equal("maildir:/home/joe/Mail/incoming", freemail.Mailbox);
        Assert.Equal("/home/joe/.local/share/joe.smith_at_pop.freemail.example", freemail.UidlState!.Path);
        var freemail2 = config.Accounts[1];
        Assert.Equal(("pop.freemail.example", "joey"), (freemail2.Server, freemail2.User));
        Assert.Equal("/home/joe/.local/share/joey_at_pop.freemail.example", freemail2.UidlState!.Path);
        var isp = config.Accounts[2];
        Assert.Equal((TlsMode.Implicit, "se cret"), (isp.Ssl, isp.Password.Clear!.Reveal()));
        Assert.Contains(isp.Notes, n => n.What.StartsWith("filter", StringComparison.Ordinal) && n.Where.EndsWith(":21 (account isp)", StringComparison.Ordinal));
        Assert.Contains(config.Notes, n => n.What.Contains("account default is the same mailbox as account freemail", StringComparison.Ordinal));
    }

    [Fact]
    public void Keep_skipsize_fingerprint_mda_and_the_default_uidls_file()
    {
        var account = Assert.Single(Parse("""
            account work
            host 127.0.0.1
            port 1110
            user fred
            password pw
            keep on
            skipsize 10m
            tls on
            tls_fingerprint 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF
            delivery mda /usr/lib/dovecot/dovecot-lda -d fred
            received_header off
            """).Accounts);
        Assert.True(account.LeaveMailOnServer);
        Assert.Equal(1110, account.Port);
        Assert.Equal(10L * 1024 * 1024, account.MaxMessageSize);
        Assert.Equal("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", account.CertificateSha256);
        Assert.Equal("mda:/usr/lib/dovecot/dovecot-lda -d fred", account.Mailbox);
        Assert.Equal("/home/joe/.mpop_uidls/fred_at_127.0.0.1", account.UidlState!.Path);
        Assert.DoesNotContain(account.Notes, n => n.What.Contains("Received", StringComparison.Ordinal));
    }

    /// <summary>A command, and a fragment of the note it must leave.</summary>
    public static TheoryData<string, string> NotCarried => new()
    {
        { "delivery mbox ~/Mail/inbox", "delivery mbox" },
        { "delivery mda \"/usr/bin/procmail -f '%F' -d joe\"", "%F" },
        { "killsize 1m", "killsize" },
        { "only_new off", "only_new" },
        { "auth xoauth2", "oauth2" },
        { "auth gssapi", "auth gssapi" },
        { "tls_fingerprint 00:11:22", "SHA-256" },
        { "tls_trust_file /etc/my-ca.pem", "system trust store" },
        { "proxy_host 127.0.0.1", "proxy_host" },
        { "eval echo host x", "eval" },
        { "tls_certcheck off", "verify-certificate = off" },
    };

    [Theory]
    [MemberData(nameof(NotCarried))]
    public void What_does_not_carry_over_is_noted_with_its_line(string command, string fragment)
    {
        var account = Assert.Single(Parse($"account a\nhost h\nuser u\npassword p\n{command}\n").Accounts);
        var note = Assert.Single(account.Notes, n => n.What.Contains(fragment, StringComparison.Ordinal));
        Assert.Equal("/home/joe/.mpoprc:5 (account a)", note.Where);
    }

    [Fact]
    public void Accounts_without_host_or_user_are_listed_not_imported()
    {
        var config = Parse("account a\nhost h\naccount b\nuser u\n");
        Assert.Empty(config.Accounts);
        Assert.Equal(2, config.Notes.Count(n => n.What.Contains("no host or user", StringComparison.Ordinal)));
    }
}
