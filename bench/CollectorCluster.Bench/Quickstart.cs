using CollectorCluster.Testing;

namespace CollectorCluster.Bench;

/// <summary>
/// The README's quick start: a private Dovecot with one mailbox of 5 messages, a node file under
/// /tmp/collector-quickstart, `collector once` twice (5 collected, then 0), the Maildir listed, Dovecot stopped.
/// </summary>
public static class Quickstart
{
    private const int Messages = 5;

    public static async Task<int> RunAsync(Options options)
    {
        var collector = Tools.FindCollector(options);
        Collect1000.EnsureSbin();
        var dir = options.QuickstartDirectory;
        Tools.TryDelete(dir);
        Directory.CreateDirectory(dir);
        var maildir = Path.Combine(dir, "Maildir");
        var state = Path.Combine(dir, "state");

        Console.WriteLine("== starting a private Dovecot on 127.0.0.1");
        await using var server = await DovecotServer.StartAsync().ConfigureAwait(false);
        var user = await server.CreateUserAsync("quickstart").ConfigureAwait(false);
        var sizes = new[] { 1_200, 4_096, 18_000, 60_000, 150_000 };
        for (var i = 0; i < Messages; i++)
        {
            server.DropMessage(user.Name, MessageFactory.Create(sizes[i], 4200 + i, subject: $"Quick start message {i + 1}"));
        }

        Console.WriteLine($"   {server}");
        Console.WriteLine($"   mailbox {user.Name} holds {server.CountMessages(user.Name)} messages");

        var node = Tools.WriteNodeFile(Path.Combine(dir, "node.hocon"), state, server.Host, server.PlainPort, user.Name, user.Password, maildir, "quickstart");
        Console.WriteLine($"== node file {node}:");
        Console.Write(Tools.Indent(File.ReadAllText(node).Replace(user.Password, "********", StringComparison.Ordinal)));

        var status = 0;
        var env = new Dictionary<string, string> { ["XDG_STATE_HOME"] = state };
        foreach (var (label, expected) in new[] { ("first run: collects every message", Messages), ("second run: nothing new", 0) })
        {
            Console.WriteLine($"== {collector} once --config {node}   ({label})");
            var run = await Tools.RunMeasuredAsync(collector, ["once", "--config", node], TimeSpan.FromMinutes(2), env).ConfigureAwait(false);
            Console.Write(Tools.Indent(run.Combined));
            var collected = Tools.CollectorCollected(run.StandardOutput);
            Console.WriteLine($"   exit {run.ExitCode}, {run.Wall.TotalSeconds:F2}s wall");
            if (run.ExitCode != 0 || collected != expected)
            {
                Console.WriteLine($"   UNEXPECTED: wanted exit 0 and {expected} message(s) collected");
                status = 1;
            }
        }

        Console.WriteLine($"== ls -l {maildir}/new");
        var files = Directory.Exists(Path.Combine(maildir, "new")) ? Directory.GetFiles(Path.Combine(maildir, "new")).OrderBy(f => f, StringComparer.Ordinal).ToArray() : [];
        foreach (var f in files)
        {
            Console.WriteLine($"   {new FileInfo(f).Length,8}  {Path.GetFileName(f)}");
        }

        Console.WriteLine($"   {files.Length} file(s); still on the server (leave-mail-on-server = on): {server.CountMessages(user.Name)}");
        if (files.Length != Messages)
        {
            status = 1;
        }

        Console.WriteLine("== stopping Dovecot");
        Console.WriteLine(status == 0
            ? $"quickstart: ok (node file, journal and Maildir stay in {dir}; the Dovecot is gone, so re-run this script to try again)"
            : "quickstart: FAILED (see above)");
        return status;
    }
}
