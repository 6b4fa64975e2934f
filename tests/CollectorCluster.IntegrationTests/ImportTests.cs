using System.Globalization;
using System.Text;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// Switching from fetchmail, getmail and mpop: each peer collects from the private Dovecot first, with a configuration
/// written the way its manual shows, delivering through dovecot-lda and leaving mail on the server; more mail arrives;
/// <c>collector import</c> turns the peer's file and its real UIDL state into our node file; then <c>collector once</c>
/// collects only the messages the old tool had not seen, and a second run nothing.
/// </summary>
public sealed class ImportTests(DovecotFixture fixture) : IDisposable
{
    private const string Lda = "/usr/lib/dovecot/dovecot-lda";
    private readonly CollectorWorkspace node = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    private string Home => Path.Combine(node.Root, "home");

    public void Dispose() => node.Dispose();

    [Fact]
    public async Task Fetchmail_multi_user_poll_block_and_its_fetchids_carry_over()
    {
        var (fred, jane, target) = (await Server.CreateUserAsync("fmfred", Ct), await Server.CreateUserAsync("fmjane", Ct), await Server.CreateUserAsync("fmtarget", Ct));
        var before = Drop(fred, "fm-fred-old", 3).Concat(Drop(jane, "fm-jane-old", 2)).ToList();
        // As fetchmail's manual writes a multi-user entry: one poll, several user descriptions, each with its options.
        var rc = WriteRc(".fetchmailrc", $"""
            # ~/.fetchmailrc
            set daemon 300
            set postmaster "postmaster"

            poll 127.0.0.1 with proto pop3 and service {Server.PlainPort}:
                 user "{fred.Name}" there with password "{fred.Password}" is "fred" here
                      keep sslproto '' mda "{Lda} -c {Server.ConfigPath} -d {target.Name}"
                 user "{jane.Name}" there with password "{jane.Password}" is jane here,
                      keep, sslproto '', mda "{Lda} -c {Server.ConfigPath} -d {target.Name}", mimedecode
            """);
        var fetchmail = await ProcessRunner.RunAsync(
            ProcessRunner.StartInfo(ProcessRunner.ResolveExecutable("fetchmail"), ["-f", rc, "--nosyslog", "-N", "-d0"], environment: new Dictionary<string, string> { ["HOME"] = Home }),
            TimeSpan.FromMinutes(2), Ct);
        Assert.True(fetchmail.ExitCode == 0, fetchmail.Combined);
        var fetchids = await File.ReadAllTextAsync(Path.Combine(Home, ".fetchids"), Ct);
        Assert.True(fetchids.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length == 5, fetchids + fetchmail.Combined);
        Assert.Contains($"{fred.Name}@127.0.0.1 ", fetchids, StringComparison.Ordinal);
        AssertTargetHolds(target, before);

        var after = Drop(fred, "fm-fred-new", 2).Concat(Drop(jane, "fm-jane-new", 1)).ToList();
        var import = await ImportAsync("fetchmailrc", rc);
        Assert.Contains("2 account(s) written to", import.Output, StringComparison.Ordinal);
        Assert.Contains("UIDLs taken over for 2", import.Output, StringComparison.Ordinal);
        Assert.Contains("mimedecode does not carry over", import.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(fred.Password, await File.ReadAllTextAsync(node.NodeFile, Ct), StringComparison.Ordinal);

        await CollectOnlyTheNewAsync(new() { [$"{fred.Name}-127.0.0.1"] = 2, [$"{jane.Name}-127.0.0.1"] = 1 }, target, [.. before, .. after]);
    }

    [Fact]
    public async Task A_fetchmail_multidrop_entry_with_is_here_mappings_becomes_a_multidrop_account()
    {
        var box = await Server.CreateUserAsync("fmdomain", Ct);
        var (ann, bob, pm) = (await Server.CreateUserAsync("fmann", Ct), await Server.CreateUserAsync("fmbob", Ct), await Server.CreateUserAsync("fmpm", Ct));
        byte[] Copy(string id, string envelope) => Encoding.ASCII.GetBytes(
            $"Delivered-To: {envelope}@example.com\r\nFrom: s@sender.example\r\nTo: ann@example.com\r\nCc: bob@example.com, zed@example.com\r\nMessage-ID: <{id}@import.test>\r\n\r\nbody {id}\r\n");
        foreach (var envelope in new[] { "ann", "bob", "zed" })
        {
            Server.DropMessage(box.Name, Copy("md-old", envelope));
        }

        // The manual's multidrop entry: the mail domain as one of the server's names (aka, where fetchmail maps the names), an
        // envelope header, and server-name = local-name mappings; unknown names to the postmaster.
        var rc = WriteRc(".fetchmailrc", $"""
            set postmaster "{pm.Name}"
            set no bouncemail
            poll 127.0.0.1 service {Server.PlainPort} proto pop3 aka example.com no dns
                 envelope Delivered-To
                 user "{box.Name}" there with password "{box.Password}" to 'ann'='{ann.Name}' 'bob'='{bob.Name}' here
                 keep sslproto '' mda "{Lda} -c {Server.ConfigPath} -d %T"
            """);
        var fetchmail = await ProcessRunner.RunAsync(
            ProcessRunner.StartInfo(ProcessRunner.ResolveExecutable("fetchmail"), ["-f", rc, "--nosyslog", "-N", "-d0"], environment: new Dictionary<string, string> { ["HOME"] = Home }),
            TimeSpan.FromMinutes(2), Ct);
        Assert.True(fetchmail.ExitCode == 0, fetchmail.Combined);
        Assert.All(new[] { ann, bob, pm }, u => AssertTargetHolds(u, [new TestMessage("md-old@import.test", [])]));

        foreach (var envelope in new[] { "ann", "bob", "zed" })
        {
            Server.DropMessage(box.Name, Copy("md-new", envelope));
        }

        var import = await ImportAsync("fetchmailrc", rc);
        Assert.Contains("UIDLs taken over for 1", import.Output, StringComparison.Ordinal);
        var hocon = await File.ReadAllTextAsync(node.NodeFile, Ct);
        Assert.Contains($"\"ann\" = [\"{ann.Name}\"]", hocon, StringComparison.Ordinal);
        Assert.Contains($"default = \"{pm.Name}\"", hocon, StringComparison.Ordinal);

        var first = await node.RunOnceAsync(Ct);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(3, first.Collected($"{box.Name}-127.0.0.1"));
        Assert.All(new[] { ann, bob, pm }, u => AssertTargetHolds(u, [new TestMessage("md-old@import.test", []), new TestMessage("md-new@import.test", [])]));
    }

    [Fact]
    public async Task Getmail_retriever_destination_and_options_and_its_oldmail_file_carry_over()
    {
        var (jeff, target) = (await Server.CreateUserAsync("gmjeff", Ct), await Server.CreateUserAsync("gmtarget", Ct));
        var before = Drop(jeff, "gm-old", 3).ToList();
        var getmaildir = Path.Combine(Home, ".getmail");
        // As getmail's configuration documentation writes it: [retriever], [destination], [options].
        var rc = WriteRc(Path.Combine(".getmail", "getmailrc"), $"""
            [retriever]
            type = SimplePOP3Retriever
            server = 127.0.0.1
            port = {Server.PlainPort}
            username = {jeff.Name}
            password = {jeff.Password}

            [destination]
            type = MDA_external
            path = {Lda}
            arguments = ("-c", "{Server.ConfigPath}", "-d", "{target.Name}")
            allow_root_commands = true

            [options]
            verbose = 0
            read_all = false
            delete = false
            message_log = ~/.getmail/log
            """);
        var getmail = await ProcessRunner.RunAsync(
            ProcessRunner.StartInfo(ProcessRunner.ResolveExecutable("getmail"), [$"--getmaildir={getmaildir}", "--rcfile=getmailrc"], environment: new Dictionary<string, string> { ["HOME"] = Home }),
            TimeSpan.FromMinutes(2), Ct);
        Assert.True(getmail.ExitCode == 0, getmail.Combined);
        Assert.True(File.Exists(Path.Combine(getmaildir, $"oldmail-127.0.0.1-{Server.PlainPort}-{jeff.Name}")), getmail.Combined);
        AssertTargetHolds(target, before);

        var after = Drop(jeff, "gm-new", 2).ToList();
        var import = await ImportAsync("getmailrc", rc);
        Assert.Contains("1 account(s) written to", import.Output, StringComparison.Ordinal);
        Assert.Contains("allow_root_commands does not carry over", import.Output, StringComparison.Ordinal);
        Assert.Contains("message_log does not carry over", import.Output, StringComparison.Ordinal);

        await CollectOnlyTheNewAsync(new() { [$"{jeff.Name}-127.0.0.1"] = 2 }, target, [.. before, .. after]);
    }

    [Fact]
    public async Task Mpop_defaults_and_accounts_and_its_uidls_file_carry_over()
    {
        var (joe, joey, target) = (await Server.CreateUserAsync("mpjoe", Ct), await Server.CreateUserAsync("mpjoey", Ct), await Server.CreateUserAsync("mptarget", Ct));
        var before = Drop(joe, "mp-joe-old", 2).Concat(Drop(joey, "mp-joey-old", 1)).ToList();
        // As mpop's manual writes it: defaults, an account, a second account inheriting the first.
        var rc = WriteRc(".mpoprc", $"""
            # Set default values for all following accounts.
            defaults
            tls off
            auth user
            keep on
            delivery mda "{Lda} -c {Server.ConfigPath} -d {target.Name}"
            uidls_file ~/.local/share/%U_at_%H

            account joe
            host 127.0.0.1
            port {Server.PlainPort}
            user {joe.Name}
            password {joe.Password}

            account joey : joe
            user {joey.Name}
            password {joey.Password}
            """);
        var mpop = await ProcessRunner.RunAsync(
            ProcessRunner.StartInfo(ProcessRunner.ResolveExecutable("mpop"), ["-C", rc, "-a", "-q"], environment: new Dictionary<string, string> { ["HOME"] = Home }),
            TimeSpan.FromMinutes(2), Ct);
        Assert.True(mpop.ExitCode == 0, mpop.Combined);
        Assert.StartsWith("# This file was generated by mpop", await File.ReadAllTextAsync(Path.Combine(Home, ".local", "share", $"{joe.Name}_at_127.0.0.1"), Ct), StringComparison.Ordinal);
        AssertTargetHolds(target, before);

        var after = Drop(joe, "mp-joe-new", 1).Concat(Drop(joey, "mp-joey-new", 2)).ToList();
        var import = await ImportAsync("mpoprc", rc);
        Assert.Contains("2 account(s) written to", import.Output, StringComparison.Ordinal);
        Assert.Contains("Received header", import.Output, StringComparison.Ordinal);

        await CollectOnlyTheNewAsync(new() { ["joe"] = 1, ["joey"] = 2 }, target, [.. before, .. after]);
    }

    [Fact]
    public async Task Without_out_the_hocon_goes_to_standard_output_with_no_password_and_the_notes_to_standard_error()
    {
        var rc = WriteRc(".mpoprc", "account a\nhost pop.example.com\nuser fred\npassword hunter2\ndelivery mbox ~/Mail/inbox\nfilter /bin/false\n");
        var import = await node.RunProcessAsync(Ct, "import", "mpoprc", rc, "--home", Home, "--mailbox", "maildir:/srv/mail/fred");
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.Contains("password-env = \"COLLECTOR_PASSWORD_A\"", import.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", import.Output + import.Error, StringComparison.Ordinal);
        Assert.Contains("delivery mbox does not carry over", import.Error, StringComparison.Ordinal);
        Assert.Contains("filter does not carry over", import.Error, StringComparison.Ordinal);
        Assert.Contains("mailbox maildir:/srv/mail/fred from --mailbox", import.Error, StringComparison.Ordinal);

        var none = await node.RunProcessAsync(Ct, "import", "mpoprc", rc, "--home", Home);
        Assert.Equal(1, none.ExitCode);
        Assert.Contains("is not written: its delivery did not carry over", none.Error, StringComparison.Ordinal);
        var usage = await node.RunProcessAsync(Ct, "import", "thunderbird", rc);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("'thunderbird' is not fetchmailrc, getmailrc or mpoprc", usage.Error, StringComparison.Ordinal);
    }

    private IEnumerable<TestMessage> Drop(TestMailUser user, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var id = $"{prefix}-{i}@import.test";
            var message = new TestMessage(id, Encoding.ASCII.GetBytes($"From: sender@example.org\r\nTo: {user.Name}@example.org\r\nSubject: {prefix} {i}\r\nMessage-ID: <{id}>\r\n\r\nbody {prefix} {i}\r\n"));
            Server.DropMessage(user.Name, message);
            yield return message;
        }
    }

    // A peer's file as its owner keeps it: in the home directory, readable by the owner only (fetchmail and mpop insist).
    private string WriteRc(string relative, string text)
    {
        var path = Path.Combine(Home, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return path;
    }

    private async Task<OnceResult> ImportAsync(string kind, string rc)
    {
        var import = await node.RunProcessAsync(Ct, "import", kind, rc, "--out", node.NodeFile, "--home", Home);
        Assert.True(import.ExitCode == 0, import.ToString());
        TestContext.Current.TestOutputHelper?.WriteLine(import.Output);
        var check = await node.RunProcessAsync(Ct, "check", "--config", node.NodeFile);
        Assert.True(check.ExitCode == 0, check.ToString() + "\n" + await File.ReadAllTextAsync(node.NodeFile, Ct));
        // The import writes accounts only; the node's own keys (where its journal lives) are the operator's.
        await File.AppendAllTextAsync(node.NodeFile, $"collector.state-directory = \"{Path.Combine(node.Root, "state")}\"\ncollector.command-host.port = 0\n", Ct);
        return import;
    }

    private async Task CollectOnlyTheNewAsync(Dictionary<string, int> expected, TestMailUser target, IReadOnlyList<TestMessage> all)
    {
        var first = await node.RunOnceAsync(Ct);
        Assert.True(first.ExitCode == 0, first.ToString());
        foreach (var (account, count) in expected)
        {
            Assert.Equal(count, first.Collected(account));
        }

        AssertTargetHolds(target, all);
        var second = await node.RunOnceAsync(Ct);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.All(expected.Keys, account => Assert.Equal(0, second.Collected(account)));
        AssertTargetHolds(target, all);
    }

    /// <summary>The target holds exactly these messages, each once (whoever delivered them).</summary>
    private void AssertTargetHolds(TestMailUser target, IReadOnlyList<TestMessage> messages)
    {
        var maildir = Server.MaildirPath(target.Name);
        var held = new[] { "new", "cur" }.Select(d => Path.Combine(maildir, d)).Where(Directory.Exists).SelectMany(Directory.EnumerateFiles)
            .Select(f => File.ReadAllText(f).Split('\n').First(l => l.StartsWith("Message-ID:", StringComparison.Ordinal))["Message-ID:".Length..].Trim().Trim('<', '>'))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(messages.Select(m => m.MessageId).Order(StringComparer.Ordinal), held);
    }
}
