using CollectorCluster.Node.Commands;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Tests;

/// <summary><c>collector import</c>'s output: what it writes where, what it leaves out, and what it refuses.</summary>
public sealed class ImportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-import-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private (int Exit, string Output, string Error) Import(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = ImportCommand.Run(args, output, error, name => name == "HOME" ? _dir : null);
        return (exit, output.ToString(), error.ToString());
    }

    [Fact]
    public void Passwords_go_to_private_files_uidls_to_seeds_and_the_file_reads_as_a_node_file()
    {
        var rc = Write(".fetchmailrc", """
            poll pop.example.com proto pop3
                 user "fred" with pass "pw-fred" is fred here keep mda "/usr/bin/procmail -d %T"
                 user "fred" with pass "pw-fred2" is fred2 here mda "/usr/bin/procmail -d %T"
            poll "weird host!" proto pop3 user "a b" with pass "x" is ab here mda "/usr/bin/procmail -d %T"
            """);
        Write(".fetchids", "fred@pop.example.com U1\nfred@pop.example.com U2\n");
        var output = Path.Combine(_dir, "out", "accounts.hocon");
        var (exit, text, _) = Import("fetchmailrc", rc, "--out", output);
        Assert.Equal(0, exit);
        var options = CollectorConfigLoader.Load(output, _ => null);
        Assert.Equal(["fred-pop.example.com", "fred-pop.example.com-2", "a-b-weird-host"], options.Accounts.Select(a => a.Id));
        var fred = options.Accounts[0];
        Assert.Equal("pw-fred", fred.Password.Reveal());
        Assert.Equal(Path.Combine(_dir, "out", "accounts.hocon.d", "uidls", "fred-pop.example.com.uidls"), fred.ImportedUidls);
        Assert.Null(options.Accounts[1].ImportedUidls); // leave-mail-on-server off: not taken over
        Assert.Contains("are not taken over: with leave-mail-on-server = off", text, StringComparison.Ordinal);
        var passwordFile = Path.Combine(_dir, "out", "accounts.hocon.d", "passwords", "fred-pop.example.com");
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(passwordFile) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));
        Assert.DoesNotContain("pw-fred", File.ReadAllText(output), StringComparison.Ordinal);
        Assert.DoesNotContain("pw-fred", text, StringComparison.Ordinal);

        var again = Import("fetchmailrc", rc, "--out", output);
        Assert.Equal(2, again.Exit);
        Assert.Contains("exists already", again.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Clear_passwords_only_when_asked_and_multidrop_domains_from_the_command_line()
    {
        var rc = Write("mpoprc", "account a\nhost h.example\nuser u\npassword secret-a\ndelivery maildir /srv/mail/a\n");
        var (exit, text, error) = Import("mpoprc", rc, "--clear-passwords");
        Assert.Equal(0, exit);
        Assert.Contains("password = \"secret-a\"", text, StringComparison.Ordinal);
        Assert.Contains("clear text in this file, as asked", error, StringComparison.Ordinal);

        var fetchmail = Write("multi", "poll pop.isp.example user box pass p to ann bob here mda \"/usr/lib/dovecot/dovecot-lda -d %T\"\n");
        var refused = Import("fetchmailrc", fetchmail);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("give --local-domains", refused.Error, StringComparison.Ordinal);
        var taken = Import("fetchmailrc", fetchmail, "--local-domains", "Example.com");
        Assert.Equal(0, taken.Exit);
        Assert.Contains("local-domains = [\"example.com\"]", taken.Output, StringComparison.Ordinal);
        Assert.Contains("\"ann\" = \"mda:/usr/lib/dovecot/dovecot-lda -d ann\"", taken.Output, StringComparison.Ordinal);
        Assert.Contains("password-env = \"COLLECTOR_PASSWORD_BOX_POP_ISP_EXAMPLE\"", taken.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_password_command_is_neither_run_nor_repeated()
    {
        var marker = Path.Combine(_dir, "ran");
        var rc = Write("mpoprc", $"account a\nhost h.example\nuser u\npasswordeval touch {marker}; echo hunter2\ndelivery maildir /srv/mail/a\n");
        var (exit, text, error) = Import("mpoprc", rc, "--out", Path.Combine(_dir, "a.hocon"));
        Assert.Equal(0, exit);
        Assert.False(File.Exists(marker));
        Assert.DoesNotContain("hunter2", text + error + File.ReadAllText(Path.Combine(_dir, "a.hocon")), StringComparison.Ordinal);
        Assert.Contains("password-env = \"COLLECTOR_PASSWORD_A\"", File.ReadAllText(Path.Combine(_dir, "a.hocon")), StringComparison.Ordinal);
        Assert.Contains("the import does not run it", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new string[0], "which peer?")]
    [InlineData(new[] { "mpoprc" }, "no file given")]
    [InlineData(new[] { "mpoprc", "x", "--out" }, "--out needs a value")]
    [InlineData(new[] { "mpoprc", "x", "--frob" }, "unknown option --frob")]
    [InlineData(new[] { "mpoprc", "/nonexistent/mpoprc" }, "collector import:")]
    public void Usage_errors_and_unreadable_files_exit_2(string[] args, string fragment)
    {
        var (exit, _, error) = Import(args);
        Assert.Equal(2, exit);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
    }

    /// <summary>A peer's file with a password in its place and others where they do not belong (misspelt keys, stray lines).</summary>
    public static TheoryData<string, string, string> FilesWithSecretsAstray => new()
    {
        {
            "fetchmailrc", ".fetchmailrc",
            "set logfile ~/fm.log\n\"hunter2-stray\"\npoll pop.example.com proto pop3 user fred pass \"hunter2-pw\" is fred here\n" +
            "  passwd \"hunter2-a\" pasword hunter2-b\n  preconnect \"sshpass -p hunter2-c ssh tunnel\" plugin \"hunter2-d %h\"\n  esmtppassword hunter2-e mda \"/usr/bin/procmail -d %T\"\n"
        },
        {
            "getmailrc", "getmailrc",
            "hunter2-stray\n[retriever]\ntype = SimplePOP3Retriever\nserver = pop.example.com\nusername = fred\npassword = hunter2-pw\nhunter2-a\n" +
            "[destination]\ntype = Maildir\npath = /srv/mail/fred/\n[options]\nhunter2-b\n"
        },
        {
            "mpoprc", "mpoprc",
            "account fred\nhost pop.example.com\nuser fred\npassword hunter2-pw\npassworeval echo hunter2-a\neval echo hunter2-b\ndelivery maildir /srv/mail/fred\n"
        },
    };

    [Theory]
    [MemberData(nameof(FilesWithSecretsAstray))]
    public void Every_note_names_the_file_and_line_and_no_secret_is_echoed(string kind, string name, string text)
    {
        var rc = Write(name, text);
        var output = Path.Combine(_dir, "out.hocon");
        var (exit, report, error) = Import(kind, rc, "--out", output);
        Assert.True(exit == 0, report + error);
        Assert.DoesNotContain("hunter2", report + error + File.ReadAllText(output), StringComparison.Ordinal);
        var notes = report.Split('\n').SkipWhile(l => !l.StartsWith("not carried over (", StringComparison.Ordinal)).Skip(1).Where(l => l.Length > 0).ToList();
        Assert.NotEmpty(notes);
        Assert.All(notes, n => Assert.Matches("^  " + System.Text.RegularExpressions.Regex.Escape(rc) + ":[0-9]+[ :]", n));
        // The password itself went to its private file, for the collector to read.
        Assert.Equal("hunter2-pw", CollectorConfigLoader.Load(output, _ => null).Accounts.Single().Password.Reveal());
    }
}
