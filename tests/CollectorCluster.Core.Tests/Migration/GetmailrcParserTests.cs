using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Migration;

namespace CollectorCluster.Core.Tests.Migration;

public sealed class GetmailrcParserTests
{
    private static PeerConfig Parse(string text, string file = "/home/jeff/.getmail/getmailrc") =>
        GetmailrcParser.Parse(text, new ImportContext(file, "/home/jeff"), "/home/jeff/.getmail");

    [Fact]
    public void The_manuals_simple_pop3_to_maildir_with_options()
    {
        var config = Parse("""
            [options]
            verbose = 0
            read_all = false
            delete = true
            message_log = ~/.getmail/log

            [retriever]
            type = SimplePOP3Retriever
            server = pop.example.net
            username = jeff.plotzky
            password = mailpassword

            [destination]
            type = Maildir
            path = ~/Maildir/
            """);
        var account = Assert.Single(config.Accounts);
        Assert.Equal(("pop.example.net", "jeff.plotzky", "mailpassword"), (account.Server, account.User, account.Password.Clear!.Reveal()));
        Assert.Equal(TlsMode.None, account.Ssl);
        Assert.False(account.LeaveMailOnServer);
        Assert.Equal("maildir:/home/jeff/Maildir", account.Mailbox);
        Assert.Equal("/home/jeff/.getmail/oldmail-pop.example.net-110-jeff.plotzky", account.UidlState!.Path);
        Assert.Contains(account.Notes, n => n.What.StartsWith("verbose", StringComparison.Ordinal) && n.Where.EndsWith(":2", StringComparison.Ordinal));
        Assert.Contains(account.Notes, n => n.What.StartsWith("message_log", StringComparison.Ordinal));
        Assert.DoesNotContain(account.Notes, n => n.What.Contains("read_all", StringComparison.Ordinal));
    }

    [Fact]
    public void Ssl_retriever_port_password_command_lmtp_and_the_defaults_read_all_and_no_delete()
    {
        var config = Parse("""
            [retriever]
            type = SimplePOP3SSLRetriever
            server = pop.isp.example
            port = 1995
            username = fred
            password_command = ("/usr/bin/pass", "show", "mail/fred")
            ssl_fingerprints = ('sha256:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89',)

            [destination]
            type = MDA_lmtp
            host = 127.0.0.1
            port = 2424
            override = fred@example.org
            """, "/home/jeff/.getmail/getmailrc-fred");
        var account = Assert.Single(config.Accounts);
        Assert.Equal("fred", account.Name);
        Assert.Equal((TlsMode.Implicit, 1995), (account.Ssl, account.Port));
        Assert.Equal("/usr/bin/pass show mail/fred", account.Password.Command);
        Assert.Null(account.Password.Clear);
        Assert.Equal("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789", account.CertificateSha256);
        Assert.True(account.LeaveMailOnServer);
        Assert.Equal("lmtp:127.0.0.1:2424?rcpt=fred@example.org", account.Mailbox);
        Assert.Equal("/home/jeff/.getmail/oldmail-pop.isp.example-1995-fred", account.UidlState!.Path);
        Assert.Contains(account.Notes, n => n.What.Contains("read_all", StringComparison.Ordinal));
        Assert.Contains(account.Notes, n => n.What.Contains("did not verify", StringComparison.Ordinal));
        Assert.Contains(account.Notes, n => n.What.Contains("Delivered-To", StringComparison.Ordinal));
    }

    [Fact]
    public void The_manuals_multidrop_retriever_with_a_multisorter()
    {
        var config = Parse("""
            [retriever]
            type = MultidropPOP3Retriever
            server = pop.isp.example
            username = domainbox
            password = company_maildrop_password
            envelope_recipient = delivered-to:1

            [destination]
            type = MultiSorter
            default = [bob-default]
            locals = (
                ('^jeff@example.net$', '[jeff]'),
                ('alice@example\.net', '[alice]'),
                ('sam', '[copies]')
                )

            [jeff]
            type = Maildir
            path = /srv/mail/jeff/
            user = jeff

            [alice]
            type = MDA_external
            path = /usr/lib/dovecot/dovecot-lda
            arguments = ("-d", "%(local)")

            [bob-default]
            type = Maildir
            path = /srv/mail/bob/

            [copies]
            type = Mboxrd
            path = /srv/archive
            """);
        var account = Assert.Single(config.Accounts);
        var multidrop = account.Multidrop!;
        Assert.Equal(["delivered-to"], multidrop.EnvelopeHeaders);
        Assert.Equal(["example.net"], multidrop.LocalDomains);
        Assert.Equal("maildir:/srv/mail/jeff", multidrop.Destinations["jeff"]);
        Assert.Equal("mda:/usr/lib/dovecot/dovecot-lda -d alice", multidrop.Destinations["alice"]);
        Assert.Equal("postmaster", multidrop.Default);
        Assert.Equal("maildir:/srv/mail/bob", multidrop.Destinations["postmaster"]);
        Assert.Contains(account.Notes, n => n.What.Contains("'sam'", StringComparison.Ordinal));
        Assert.DoesNotContain(account.Notes, n => n.What.Contains("] does not carry over: the import reads", StringComparison.Ordinal)); // every section is named by the MultiSorter
        Assert.Contains(account.Notes, n => n.What.StartsWith("user does not carry over", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("SimpleIMAPSSLRetriever", "IMAP")]
    [InlineData("MultidropSDPSRetriever", "SDPS")]
    public void Non_pop3_retrievers_import_nothing_and_say_so(string type, string fragment)
    {
        var config = Parse($"[retriever]\ntype = {type}\nserver = x\nusername = y\n");
        Assert.Empty(config.Accounts);
        Assert.Contains(config.Notes, n => n.What.Contains(fragment, StringComparison.Ordinal));
    }

    [Fact]
    public void An_mbox_destination_leaves_the_account_without_a_mailbox_and_says_so()
    {
        var account = Assert.Single(Parse("[retriever]\ntype = SimplePOP3Retriever\nserver = x\nusername = y\npassword = p\n[destination]\ntype = Mboxrd\npath = ~/inbox\n").Accounts);
        Assert.Null(account.Mailbox);
        Assert.Contains(account.Notes, n => n.What.Contains("Mboxrd", StringComparison.Ordinal));
    }

    [Fact]
    public void Delete_after_keeps_mail_on_the_server_and_continuation_lines_join()
    {
        var account = Assert.Single(Parse("""
            [retriever]
            type = SimplePOP3Retriever
            server = x
            username = y
            password = p
            [destination]
            type = MDA_external
            path = /usr/bin/procmail
            arguments = ("-f",
                "%(sender)")
            [options]
            delete_after = 14
            max_message_size = 5000000
            """).Accounts);
        Assert.True(account.LeaveMailOnServer);
        Assert.Equal(14, account.DeleteAfterDays);
        Assert.Equal(5_000_000, account.MaxMessageSize);
        Assert.Null(account.Mailbox);
        Assert.Contains(account.Notes, n => n.What.Contains("%(sender)", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("pop.example.com", 110, "fred", "oldmail-pop.example.com-110-fred")]
    [InlineData("pop.example.com", 995, "fred@example.com", "oldmail-pop.example.com-995-fred@example.com")]
    [InlineData("host", 110, "a/b:c", "oldmail-host-110-a-b-c")]
    public void Oldmail_file_names_are_getmails(string server, int port, string user, string expected)
    {
        Assert.Equal(expected, GetmailrcParser.OldmailFileName(server, port, user));
    }

    [Theory]
    [InlineData("(\"a\", 'b')", new[] { "a", "b" })]
    [InlineData("('a',)", new[] { "a" })]
    [InlineData("()", new string[0])]
    [InlineData("(r'a\\d', \"q\\\"x\")", new[] { "a\\d", "q\"x" })]
    public void Python_tuples_of_strings(string text, string[] expected)
    {
        Assert.Equal(expected, PythonLiteral.Strings(text));
    }

    [Theory]
    [InlineData("a")]
    [InlineData("('a'")]
    [InlineData("(1, 2)")]
    [InlineData("__import__('os')")]
    public void Anything_else_is_not_a_tuple(string text)
    {
        Assert.Null(PythonLiteral.Strings(text));
    }

    [Fact]
    public void Every_note_names_its_line_and_a_line_that_is_no_setting_is_noted_without_repeating_it()
    {
        var config = Parse("""
            hunter2-before-any-section
            [retriever]
            type = SimplePOP3SSLRetriever
            server = pop.example.net
            username = jeff
            hunter2-misplaced

            [destination]
            type = Maildir
            path = ~/Maildir/

            [filter-spam]
            type = Filter_external
            path = /usr/bin/spamc
            """);
        var account = Assert.Single(config.Accounts);
        var notes = config.Notes.Concat(account.Notes).ToList();
        Assert.Contains(account.Notes, n => n.Where.EndsWith(":12", StringComparison.Ordinal) && n.What.StartsWith("[filter-spam] (a filter) does not carry over", StringComparison.Ordinal));
        Assert.All(notes, n => Assert.Matches(@"^/home/jeff/\.getmail/getmailrc:\d+$", n.Where));
        Assert.All(notes, n => Assert.DoesNotContain("hunter2", n.ToString(), StringComparison.Ordinal));
        Assert.Contains(config.Notes, n => n.Where.EndsWith(":1", StringComparison.Ordinal) && n.What.Contains("before any [section]", StringComparison.Ordinal));
        Assert.Contains(config.Notes, n => n.Where.EndsWith(":6", StringComparison.Ordinal) && n.What.Contains("neither [section] nor key = value", StringComparison.Ordinal));
        Assert.Contains(account.Notes, n => n.Where.EndsWith(":2", StringComparison.Ordinal) && n.What.StartsWith("no password", StringComparison.Ordinal));
        Assert.Contains(account.Notes, n => n.Where.EndsWith(":3", StringComparison.Ordinal) && n.What.Contains("ca_certs", StringComparison.Ordinal));
        Assert.Contains(account.Notes, n => n.Where.EndsWith(":2", StringComparison.Ordinal) && n.What.StartsWith("read_all", StringComparison.Ordinal));
        Assert.Equal("/home/jeff/.getmail/getmailrc:2", account.Origin);
    }
}
