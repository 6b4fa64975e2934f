using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Migration;

namespace CollectorCluster.Core.Tests.Migration;

public sealed class FetchmailrcParserTests
{
    private static readonly ImportContext Context = new("/home/fred/.fetchmailrc", "/home/fred");

    private static PeerConfig Parse(string text) => FetchmailrcParser.Parse(text, Context);

    [Fact]
    public void The_manuals_multi_user_poll_block_gives_one_account_per_user()
    {
        var config = Parse("""
            poll pop.provider.net proto pop3 port 3111
                 user "jsmith" with pass "secret1" is "smith" here
                 user jones with pass "secret2" is "jjones" here keep
            """);
        Assert.Equal(["jsmith", "jones"], config.Accounts.Select(a => a.User));
        var smith = config.Accounts[0];
        Assert.Equal(("pop.provider.net", 3111, false), (smith.Server, smith.Port, smith.LeaveMailOnServer));
        Assert.Equal("secret1", smith.Password.Clear!.Reveal());
        Assert.Equal("smtp:localhost:25?rcpt=smith@localhost", smith.Mailbox);
        var jones = config.Accounts[1];
        Assert.True(jones.LeaveMailOnServer);
        Assert.Equal("smtp:localhost:25?rcpt=jjones@localhost", jones.Mailbox);
        Assert.Equal(new PeerUidlState(PeerTool.Fetchmail, "/home/fred/.fetchids", "pop.provider.net", "jones"), jones.UidlState);
        Assert.Contains(jones.Notes, n => n.What.Contains("SMTP to localhost port 25", StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_apply_to_later_polls_and_polls_override_them()
    {
        var config = Parse("""
            defaults proto pop3
                 user "jsmith"
            poll pop.provider.net
                 pass "secret1"
            poll mail.provider.net
                 user "jjsmith" there has password "secret2"
            """);
        Assert.Equal([("pop.provider.net", "jsmith", "secret1"), ("mail.provider.net", "jjsmith", "secret2")],
            config.Accounts.Select(a => (a.Server, a.User, a.Password.Clear!.Reveal())));
    }

    [Fact]
    public void Noise_words_punctuation_and_an_mda_with_the_local_name()
    {
        var config = Parse("""
            set daemon 300
            set idfile "~/state/fetchids"
            poll mail.provider.net with proto pop3:
                 user "jsmith" there has password "4u but u cannot krak this"
                 is jws here and wants mda "/usr/bin/procmail -d %T";
                 ssl, sslcertck, limit 100000, keep
            """);
        var account = Assert.Single(config.Accounts);
        Assert.Equal("4u but u cannot krak this", account.Password.Clear!.Reveal());
        Assert.Equal("mda:/usr/bin/procmail -d jws", account.Mailbox);
        Assert.Equal(TlsMode.Implicit, account.Ssl);
        Assert.True(account.VerifyCertificate);
        Assert.Equal(100000, account.MaxMessageSize);
        Assert.Equal(TimeSpan.FromMinutes(5), account.CheckEvery);
        Assert.Equal("/home/fred/state/fetchids", account.UidlState!.Path);
    }

    [Fact]
    public void Via_lmtp_and_smtphost_ports()
    {
        var config = Parse("""
            poll isp-label via pop.isp.example service 1110
                 user fred pass x is fred here lmtp smtphost 127.0.0.1/2424 smtpaddress example.org sslproto ''
            """);
        var account = Assert.Single(config.Accounts);
        Assert.Equal(("pop.isp.example", 1110), (account.Server, account.Port));
        Assert.Equal("lmtp:127.0.0.1:2424?rcpt=fred@example.org", account.Mailbox);
        Assert.Equal(TlsMode.None, account.Ssl);
        Assert.Equal("pop.isp.example", account.UidlState!.Server);
    }

    [Fact]
    public void The_manuals_multidrop_entry_with_localdomains_envelope_and_mappings()
    {
        var config = Parse("""
            set postmaster "pm"
            set no bouncemail
            poll pop.provider.net localdomains loonytoons.org toons.org
                 envelope X-Envelope-To
                 user maildrop with pass secret1 to golux 'hurkle'='happy' snark here
                 mda "/usr/lib/dovecot/dovecot-lda -d %T"
            """);
        var account = Assert.Single(config.Accounts);
        Assert.Null(account.Mailbox);
        var multidrop = account.Multidrop!;
        Assert.Equal(["loonytoons.org", "toons.org"], multidrop.LocalDomains);
        Assert.Equal(["X-Envelope-To"], multidrop.EnvelopeHeaders);
        Assert.Equal(["golux", "happy", "snark", "pm"], multidrop.Destinations.Keys);
        Assert.Equal("mda:/usr/lib/dovecot/dovecot-lda -d happy", multidrop.Destinations["happy"]);
        Assert.Equal(["happy"], multidrop.Aliases["hurkle"]);
        Assert.Equal("pm", multidrop.Default);
        Assert.DoesNotContain(account.Notes, n => n.What.Contains("bounced", StringComparison.Ordinal));
        Assert.Contains(account.Notes, n => n.What.Contains("through unaltered", StringComparison.Ordinal));
    }

    [Fact]
    public void Aka_domains_are_where_the_name_mappings_apply_and_become_local_domains_too()
    {
        var account = Assert.Single(Parse("""
            poll pop.isp.example aka example.com no dns envelope Delivered-To
                 user box with pass p to 'ann'='ann.local' bob here mda "/usr/lib/dovecot/dovecot-lda -d %T"
            """).Accounts);
        Assert.Equal(["example.com"], account.Multidrop!.LocalDomains);
        Assert.Equal(["ann.local"], account.Multidrop.Aliases["ann"]);
        Assert.Equal("mda:/usr/lib/dovecot/dovecot-lda -d ann.local", account.Multidrop.Destinations["ann.local"]);
        Assert.Contains(account.Notes, n => n.What.Contains("subdomains", StringComparison.Ordinal));
        Assert.DoesNotContain(account.Notes, n => n.What.Contains("passed addresses in localdomains", StringComparison.Ordinal));
    }

    [Fact]
    public void Multidrop_without_localdomains_or_envelope_is_carried_with_notes()
    {
        var config = Parse("""
            poll pop.provider.net
                 user maildrop with pass secret1 to ann bob * here smtphost mail.example.org
            """);
        var account = Assert.Single(config.Accounts);
        Assert.Empty(account.Multidrop!.LocalDomains);
        Assert.Equal(["ann", "bob", "postmaster"], account.Multidrop.Destinations.Keys);
        Assert.Equal("smtp:mail.example.org:25?rcpt=ann@localhost", account.Multidrop.Destinations["ann"]);
        Assert.Contains(account.Notes, n => n.What.Contains("local-domains", StringComparison.Ordinal));
        Assert.Contains(account.Notes, n => n.What.Contains("'*'", StringComparison.Ordinal));
        Assert.Contains(account.Notes, n => n.What.Contains("Received", StringComparison.Ordinal));
        Assert.Contains(account.Notes, n => n.What.Contains("bounced", StringComparison.Ordinal));
    }

    [Fact]
    public void User_here_is_remote_there_reverses_the_names()
    {
        var account = Assert.Single(Parse("poll pop.example.com user esr here is eric there password p").Accounts);
        Assert.Equal("eric", account.User);
        Assert.Equal("smtp:localhost:25?rcpt=esr@localhost", account.Mailbox);
    }

    [Fact]
    public void Skip_entries_are_imported_disabled_and_other_protocols_are_not_imported()
    {
        var config = Parse("""
            skip pop.example.com user a pass p is a here
            poll imap.example.com proto imap user b pass p is b here
            poll apop.example.com proto apop user c pass p is c here
            """);
        Assert.Equal(["a", "c"], config.Accounts.Select(a => a.User));
        Assert.False(config.Accounts[0].Enabled);
        Assert.Equal(AuthMethod.Apop, config.Accounts[1].Auth);
        Assert.Contains(config.Notes, n => n.What.Contains("imap", StringComparison.Ordinal) && n.Where.Contains(":2", StringComparison.Ordinal));
    }

    /// <summary>Keyword, and a fragment of the note it must leave.</summary>
    public static TheoryData<string, string> NotCarried => new()
    {
        { "fetchall", "fetchall" },
        { "flush", "flush" },
        { "sslfingerprint \"AA:BB\"", "certificate-sha256" },
        { "sslcertfile /etc/ca.pem", "system trust store" },
        { "no sslcertck", "verify-certificate = off" },
        { "mda \"/usr/sbin/sendmail -i -f %F -- %T\"", "%F" },
        { "mda \"procmail -d %T\"", "absolute" },
        { "mda \"/usr/bin/procmail | tee x\"", "shell" },
        { "bsmtp /tmp/out", "bsmtp" },
        { "folder INBOX", "folder" },
        { "preconnect \"ssh -f tunnel\"", "preconnect" },
        { "antispam 571 550", "antispam" },
        { "mimedecode", "mimedecode" },
        { "frobnicate", "no fetchmail keyword" },
        { "pasword \"relay-secret\"", "did you mean password?" },
        { "passwordeval \"echo relay-secret\"", "mpop's and msmtp's keyword" },
        { "plugin \"relay-secret %h\"", "plugin does not carry over" },
        { "postconnect \"relay-secret\"", "postconnect does not carry over" },
        { "fetchlimit 10", "fetchlimit 10 does not carry over" },
        { "auth kerberos", "auth kerberos" },
        { "esmtppassword \"relay-secret\"", "esmtppassword does not carry over" },
    };

    [Theory]
    [MemberData(nameof(NotCarried))]
    public void What_does_not_carry_over_is_noted_with_its_line(string option, string fragment)
    {
        var config = Parse($"poll pop.example.com\n  user fred pass p is fred here\n  {option}\n");
        var notes = config.Accounts.SelectMany(a => a.Notes).Concat(config.Notes).ToList();
        var note = Assert.Single(notes, n => n.What.Contains(fragment, StringComparison.Ordinal));
        Assert.StartsWith("/home/fred/.fetchmailrc:", note.Where, StringComparison.Ordinal);
        Assert.All(notes, n => Assert.DoesNotContain("relay-secret", n.What, StringComparison.Ordinal));
    }

    [Fact]
    public void No_password_and_no_ssl_are_noted()
    {
        var account = Assert.Single(Parse("poll pop.example.com user fred is fred here").Accounts);
        Assert.Equal(PeerPassword.None, account.Password);
        Assert.Equal(TlsMode.StartTls, account.Ssl);
        Assert.Contains(account.Notes, n => n.What.Contains("no password", StringComparison.Ordinal));
        Assert.Contains(account.Notes, n => n.What.Contains("STARTTLS", StringComparison.Ordinal));
    }

    [Fact]
    public void Quoted_strings_take_fetchmails_escapes()
    {
        Assert.Equal(["a\"b", "tab\there", "\u00e9", "A", "joined"], FetchmailTokenizer.Tokenize("\"a\\\"b\" 'tab\\there' \"\\xE9\" \"\\65\" \"joi\\\nned\"").Select(t => t.Text));
        Assert.Throws<FormatException>(() => FetchmailTokenizer.Tokenize("poll x user \"unterminated"));
    }

    /// <summary>Words a misplaced or misspelt line may hold, each a secret that no note may repeat.</summary>
    public static TheoryData<string> SecretsInUnexpectedPlaces => new()
    {
        "\"relay-secret\"",
        "frobnicate relay-secret",
        "frobnicate \"relay-secret\" keep",
        "passwd relay-secret",
        "= relay-secret",
    };

    [Theory]
    [MemberData(nameof(SecretsInUnexpectedPlaces))]
    public void A_word_the_reader_did_not_expect_is_noted_by_its_line_and_never_repeated(string option)
    {
        foreach (var text in new[] { $"poll pop.example.com\n  user fred pass p is fred here\n  {option}\n", $"{option}\npoll pop.example.com user fred pass p is fred here\n" })
        {
            var config = Parse(text);
            var notes = config.Accounts.SelectMany(a => a.Notes).Concat(config.Notes).ToList();
            Assert.Contains(notes, n => n.Where.StartsWith("/home/fred/.fetchmailrc:", StringComparison.Ordinal) && n.What.Contains("not repeated", StringComparison.Ordinal));
            Assert.All(notes, n => Assert.DoesNotContain("relay-secret", n.ToString(), StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_one_word_negations_of_the_manual_end_a_list_and_turn_their_flag_off()
    {
        var config = Parse("""
            defaults keep
            poll pop.example.com proto pop3 user fred pass p is fred here smtphost localhost/2525 nokeep nofetchall
            """);
        var account = Assert.Single(config.Accounts);
        Assert.False(account.LeaveMailOnServer);
        Assert.Equal("smtp:localhost:2525?rcpt=fred@localhost", account.Mailbox);
        Assert.DoesNotContain(account.Notes, n => n.What.Contains("hosts", StringComparison.Ordinal) || n.What.Contains("fetchall", StringComparison.Ordinal));
    }
}
