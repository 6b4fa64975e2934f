using System.Globalization;
using System.Text;
using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// Accounts added and removed while <c>collector run</c> runs, through collectorctl: the added account collects,
/// survives a restart (its password sealed with the node key, never in the journal, logs or output), and a
/// removed one stops; a wrong key file stops the start naming the file.
/// </summary>
public sealed class RuntimeAccountTests(DovecotFixture fixture) : IDisposable
{
    private readonly CollectorWorkspace node = new();
    private readonly List<CollectorProcess> daemons = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private DovecotServer Server => fixture.Server;

    [Fact]
    public async Task Add_collects_survives_a_restart_sealed_and_remove_stops_it()
    {
        var fileUser = await Server.CreateUserAsync("rtf", Ct);
        var added = await Server.CreateUserAsync("rta", Ct);
        var messages = Enumerable.Range(0, 3).Select(i => MessageFactory.Create(1200 + (i * 100), 600 + i)).ToList();
        messages.ForEach(m => Server.DropMessage(added.Name, m));
        node.WriteNodeFile(new AccountSpec("file", fileUser, Server.PlainPort) { Extra = "      check-every = 24h" });
        var at = node.ServeCommands(MaildirRoots);
        var daemon = Start();
        await CtlClient.WaitForCommandHostAsync(daemon, at);
        var keyFile = Path.Combine(node.Root, "state", "node.key");
        Assert.True(File.Exists(keyFile));
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(keyFile) == (UnixFileMode.UserRead | UnixFileMode.UserWrite));

        string[] add =
        [
            at, "collector", "add", "extra", "--server", $"127.0.0.1:{Server.PlainPort.ToString(CultureInfo.InvariantCulture)}", "--user", added.Name,
            "--tls", "none", "--mailbox", $"maildir:{node.Maildir}", "--every", "24h", "--leave-mail-on-server", "on", "--password-stdin",
        ];
        var result = await WithStdinAsync(add, added.Password + "\n");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("extra: added (", result.Output);
        Assert.Contains("2 account(s)", (await CtlClient.RunAsync(at, "collector", "list")).Output);
        var collect = await CtlClient.RunAsync(at, "collector", "collect", "extra");
        Assert.True(collect.ExitCode == 0, collect.ToString());
        Assert.Contains("collected 3", collect.Output);
        node.AssertHoldsExactly(messages);

        // Refusals: an existing id, an accounts-file id, no password, an unknown key (named by the accounts parser).
        Assert.Contains("exists already", (await WithStdinAsync(add, added.Password + "\n")).Error);
        Assert.Contains("is defined in the accounts file", (await WithStdinAsync([at, "collector", "add", "file", "--server", "h", "--user", "u", "--password-stdin"], "pw\n")).Error);
        var noPassword = await CtlClient.RunAsync(at, "collector", "add", "other", "--server", "h", "--user", "u");
        Assert.Equal(1, noPassword.ExitCode);
        Assert.Contains("no password", noPassword.Error);
        var badKey = await WithStdinAsync([at, "collector", "add", "other", "--server", "h", "--user", "u", "--mailbox", $"maildir:{node.Maildir}", "--colour", "red", "--password-stdin"], "pw-other\n");
        Assert.Equal(1, badKey.ExitCode);
        Assert.Contains("colour", badKey.Error);
        Assert.DoesNotContain("pw-other", badKey.Error + badKey.Output);

        await RestartAsync(daemon, at);
        daemon = daemons[^1];
        var more = MessageFactory.Create(1500, 700);
        Server.DropMessage(added.Name, more);
        messages.Add(more);
        var again = await CtlClient.RunAsync(at, "collector", "collect", "extra");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("collected 1", again.Output);
        node.AssertHoldsExactly(messages);

        // An edit that would delete mail on the server is only previewed without --yes.
        var deleting = await CtlClient.RunAsync(at, "collector", "edit", "extra", "--leave-mail-on-server", "off");
        Assert.True(deleting.ExitCode == 0, deleting.ToString());
        Assert.Contains("extra: edit would turn leave-mail-on-server off: the next session deletes on the server every collected message still there (4); add --yes to change it", deleting.Output);
        Assert.Contains("deleted 0", (await CtlClient.RunAsync(at, "collector", "collect", "extra")).Output);
        Assert.Equal(4, Server.CountMessages(added.Name));
        Assert.Contains("extra: edit would turn mirror-mailbox on", (await CtlClient.RunAsync(at, "collector", "edit", "extra", "--mirror-mailbox", "on")).Output);
        Assert.Contains("extra: edit would delete on the server collected messages first seen more than 7 day(s) ago", (await CtlClient.RunAsync(at, "collector", "edit", "extra", "--delete-after-days", "7")).Output);

        // Edit keeps the other settings (and the sealed password); disable/enable are edits of "enabled".
        var edit = await CtlClient.RunAsync(at, "collector", "edit", "extra", "--every", "2h");
        Assert.True(edit.ExitCode == 0, edit.ToString());
        Assert.Contains("extra: updated (", edit.Output);
        Assert.Contains("every 02:00:00", edit.Output);
        Assert.Contains("enabled)", edit.Output);
        Assert.Contains("disabled)", (await CtlClient.RunAsync(at, "collector", "disable", "extra")).Output);
        Assert.Contains("account is disabled", (await CtlClient.RunAsync(at, "collector", "collect", "extra")).Error);
        Assert.Contains("enabled)", (await CtlClient.RunAsync(at, "collector", "enable", "extra")).Output);
        Assert.Contains("collected 0", (await CtlClient.RunAsync(at, "collector", "collect", "extra")).Output);
        Assert.Contains("is defined in the accounts file", (await CtlClient.RunAsync(at, "collector", "edit", "file", "--every", "1h")).Error);
        // disable/enable of a file account say what to do with the file, not "collector edit" (which refuses it too).
        var disableFile = (await CtlClient.RunAsync(at, "collector", "disable", "file")).Error;
        Assert.Contains("set enabled = off in its entry there", disableFile);
        Assert.Contains("collector reload", disableFile);
        Assert.DoesNotContain("collector edit", disableFile);
        Assert.Contains("set enabled = on", (await CtlClient.RunAsync(at, "collector", "enable", "file")).Error);
        Assert.Contains("unknown account 'nosuch'", (await CtlClient.RunAsync(at, "collector", "edit", "nosuch", "--every", "1h")).Error);
        Assert.Contains("is not accepted here", (await CtlClient.RunAsync(at, "collector", "edit", "extra", "--password", "x")).Error);

        var preview = await CtlClient.RunAsync(at, "collector", "remove", "extra");
        Assert.Contains("add --yes to remove", preview.Output);
        Assert.Contains("is defined in the accounts file", (await CtlClient.RunAsync(at, "collector", "remove", "file", "--yes")).Error);
        var remove = await CtlClient.RunAsync(at, "collector", "remove", "extra", "--yes");
        Assert.True(remove.ExitCode == 0, remove.ToString());
        Assert.Contains("unknown account 'extra'", (await CtlClient.RunAsync(at, "collector", "collect", "extra")).Error);
        // Gone, not a disabled entity with a next-due time.
        var listed = await CtlClient.RunAsync(at, "collector", "list");
        Assert.True(listed.ExitCode == 0, listed.ToString());
        Assert.DoesNotContain("extra | ", listed.Output);

        var stopped = await RestartAsync(daemon, at);
        Assert.Contains("unknown account 'extra'", (await CtlClient.RunAsync(at, "collector", "show", "extra")).Error);
        daemons[^1].Terminate();
        var last = await daemons[^1].WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.Equal(0, last.ExitCode);

        // The password never reached the journal (SQLite file and WAL), the logs or any output.
        var secret = Encoding.UTF8.GetBytes(added.Password);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(node.Root, "state")))
        {
            Assert.True(File.ReadAllBytes(file).AsSpan().IndexOf(secret) < 0, $"{file} holds the password");
        }

        Assert.DoesNotContain(added.Password, stopped.Error + stopped.Output + last.Error + last.Output);
        Assert.Contains("RuntimeAccountAdded.v2", Encoding.UTF8.GetString(File.ReadAllBytes(node.JournalFile)) + ReadWal());

        // A different key file cannot open the sealed password... of a runtime account that still exists: add one, swap the key.
        daemon = Start();
        await CtlClient.WaitForCommandHostAsync(daemon, at);
        Assert.Equal(0, (await WithStdinAsync([.. add.Take(3), "again", .. add.Skip(4)], added.Password + "\n")).ExitCode);
        daemon.Terminate();
        Assert.Equal(0, (await daemon.WaitAsync(TimeSpan.FromSeconds(90), Ct)).ExitCode);
        File.Delete(keyFile);
        File.WriteAllText(keyFile, Convert.ToBase64String(new byte[32]) + "\n");
        var refused = await Start().WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains($"the password of account 'again' cannot be opened with the key in {keyFile}", refused.Error + refused.Output);
    }

    [Fact]
    public async Task Sighup_reconciles_the_accounts_file_and_leaves_runtime_accounts_alone()
    {
        var users = new List<TestMailUser>();
        for (var i = 0; i < 4; i++)
        {
            users.Add(await Server.CreateUserAsync("hup", Ct));
        }

        var port = PortAllocator.Reserve();
        var at = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        CollectorCtl.RegisterTokenFile(at, node.TokenFile);
        void Write(params AccountSpec[] accounts)
        {
            node.WriteNodeFile(accounts);
            File.AppendAllText(node.NodeFile, $"collector.command-host.port = {port.ToString(CultureInfo.InvariantCulture)}\n{MaildirRoots}\n");
        }

        AccountSpec Spec(string id, int user, string every = "24h") => new(id, users[user], Server.PlainPort) { Extra = $"      check-every = {every}" };
        Write(Spec("a", 0), Spec("b", 1));
        var daemon = Start();
        await CtlClient.WaitForCommandHostAsync(daemon, at);
        string[] add = [at, "collector", "add", "extra", "--server", $"127.0.0.1:{Server.PlainPort.ToString(CultureInfo.InvariantCulture)}", "--user", users[3].Name, "--mailbox", $"maildir:{node.Maildir}", "--every", "24h", "--password-stdin"];
        Assert.Equal(0, (await WithStdinAsync(add, users[3].Password + "\n")).ExitCode);

        // b leaves the file, c arrives, a changes its interval.
        Write(Spec("a", 0, "12h"), Spec("c", 2));
        daemon.Hangup();
        var reloaded = await WaitForLogAsync(at, "Reloaded ");
        Assert.Contains("1 added (c), 1 changed (a), 1 removed (b)", reloaded);
        var list = await CtlClient.RunAsync(at, "collector", "list");
        Assert.Contains("c | ", list.Output);
        Assert.Contains("extra | ", list.Output);
        Assert.Contains("unknown account 'b'", (await CtlClient.RunAsync(at, "collector", "show", "b")).Error);
        var collectC = await CtlClient.RunAsync(at, "collector", "collect", "c");
        Assert.True(collectC.ExitCode == 0, collectC.ToString());
        Assert.Equal(0, (await CtlClient.RunAsync(at, "collector", "collect", "extra")).ExitCode);

        // A file that no longer loads changes nothing.
        File.WriteAllText(node.NodeFile, "collector { accounts = [ { id = broken } ] }\n");
        daemon.Hangup();
        Assert.Contains("refused, the running accounts stay", await WaitForLogAsync(at, "Reload of "));
        Assert.Contains("c | ", (await CtlClient.RunAsync(at, "collector", "list")).Output);
        daemon.Terminate();
        var stopped = await daemon.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.Equal(0, stopped.ExitCode);
        Assert.All(users, u => Assert.DoesNotContain(u.Password, stopped.Error + stopped.Output));
    }

    /// <summary>The node file's line that lets runtime accounts deliver into this test's directory (and nowhere else).</summary>
    private string MaildirRoots => $"collector.runtime-accounts.maildir-roots = [\"{node.Root}\"]";

    public void Dispose()
    {
        daemons.ForEach(d => d.Dispose());
        node.Dispose();
    }

    /// <summary>Follows the node's log (log tail --follow) until a line contains <paramref name="text"/>.</summary>
    private static async Task<string> WaitForLogAsync(string at, string text)
    {
        using var follower = CtlClient.Start([at, "log", "tail", "-n", "50", "--follow"], null);
        try
        {
            var seen = await CtlClient.ReadUntilAsync(follower, text);
            return seen.Split('\n').Last(l => l.Contains(text, StringComparison.Ordinal));
        }
        finally
        {
            follower.Kill();
        }
    }

    private string ReadWal() => File.Exists(node.JournalFile + "-wal") ? Encoding.UTF8.GetString(File.ReadAllBytes(node.JournalFile + "-wal")) : "";

    private CollectorProcess Start()
    {
        var daemon = node.StartProcess("run", "--config", node.NodeFile);
        daemons.Add(daemon);
        return daemon;
    }

    private async Task<OnceResult> RestartAsync(CollectorProcess daemon, string at)
    {
        daemon.Terminate();
        var stopped = await daemon.WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        await CtlClient.WaitForCommandHostAsync(Start(), at);
        return stopped;
    }

    private static async Task<OnceResult> WithStdinAsync(string[] arguments, string stdin)
    {
        using var process = CtlClient.Start(arguments, null);
        await process.StandardInput.WriteAsync(stdin.AsMemory(), Ct);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        return new OnceResult(process.ExitCode, await output, await error);
    }
}
