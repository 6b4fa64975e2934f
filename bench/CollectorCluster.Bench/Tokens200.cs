using System.Diagnostics;
using System.Globalization;
using System.Text;
using CollectorCluster.Testing;

namespace CollectorCluster.Bench;

/// <summary>
/// tokens-200x5: 200 accounts × 5 messages on one private Dovecot, collected once by fetchmail (one poll entry per
/// account, BSMTP delivery to a file), mpop (200 accounts, <c>mpop -a</c>, Maildir) and <c>collector once</c>
/// (200 accounts, the connection tokens at max-pop3-clients = 10, Maildir), each from fresh client state, in one
/// run: the ratios compare tools under the same machine load. Every tool must deliver exactly the 1,000
/// Message-IDs dropped (fetchmail and mpop rewrite headers or line ends, so identity is by Message-ID).
/// </summary>
public static class Tokens200
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(Options options)
    {
        var accounts = options.Accounts;
        var perAccount = options.PerAccount;
        var collector = Tools.FindCollector(options);
        foreach (var tool in new[] { options.Mpop, options.Fetchmail })
        {
            if (!File.Exists(tool))
            {
                throw new ArgumentException($"{tool} not found (apt-get install mpop fetchmail, or --mpop/--fetchmail PATH)");
            }
        }

        Collect1000.EnsureSbin();
        Console.WriteLine($"tokens-{accounts}x{perAccount}: starting a private Dovecot, {accounts} users...");
        await using var server = await DovecotServer.StartAsync().ConfigureAwait(false);
        var users = new List<TestMailUser>(accounts);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        long bytes = 0;
        for (var a = 0; a < accounts; a++)
        {
            var user = await server.CreateUserAsync("t" + a.ToString("D3", CultureInfo.InvariantCulture)).ConfigureAwait(false);
            users.Add(user);
            for (var m = 0; m < perAccount; m++)
            {
                // 2–20 KB, a different size per message: a realistic small-mail mix.
                var message = MessageFactory.Create(2048 + ((a * 7919 + m * 104729) % 18432), (a * 100) + m);
                server.DropMessage(user.Name, message);
                expected.Add(message.MessageId.Trim('<', '>'));
                bytes += message.Size;
            }
        }

        var total = accounts * perAccount;
        Console.WriteLine($"dropped {total} messages ({bytes:N0} bytes) in {accounts} mailboxes; {server}");
        var work = Directory.CreateTempSubdirectory("cc-bench-tokens-").FullName;
        var results = new List<(string Tool, Measured Run, string Check, bool Valid)>();
        var serverCpu = new List<double>(); // Dovecot's CPU seconds during each run, same order as results
        var before = DovecotCpuSeconds(server);
        void Mark()
        {
            var now = DovecotCpuSeconds(server);
            serverCpu.Add(now - before);
            before = now;
        }
        try
        {
            // Warm-up (not measured): Dovecot builds every mailbox's index and UIDL cache once.
            var warm = await RunMpopAsync(options, server, users, Path.Combine(work, "warmup")).ConfigureAwait(false);
            Console.WriteLine($"warm-up (mpop, not measured): {warm.Run.Wall.TotalSeconds:F2}s, {warm.Check}");
            Tools.TryDelete(Path.Combine(work, "warmup"));
            before = DovecotCpuSeconds(server);

            var fetchmail = await RunFetchmailAsync(options, server, users, Path.Combine(work, "fetchmail"), expected, maildir: true).ConfigureAwait(false);
            results.Add(("fetchmail", fetchmail.Run, fetchmail.Check, fetchmail.Valid));
            Mark();
            Console.WriteLine($"fetchmail: {fetchmail.Run.Wall.TotalSeconds:F2}s ({fetchmail.Check})");
            var bsmtp = await RunFetchmailAsync(options, server, users, Path.Combine(work, "fetchmail-bsmtp"), expected, maildir: false).ConfigureAwait(false);
            results.Add(("fetchmail bsmtp", bsmtp.Run, bsmtp.Check, bsmtp.Valid));
            Mark();
            Console.WriteLine($"fetchmail --bsmtp: {bsmtp.Run.Wall.TotalSeconds:F2}s ({bsmtp.Check})");
            var mpop = await RunMpopAsync(options, server, users, Path.Combine(work, "mpop"), expected).ConfigureAwait(false);
            results.Add(("mpop", mpop.Run, mpop.Check, mpop.Valid));
            Mark();
            Console.WriteLine($"mpop:      {mpop.Run.Wall.TotalSeconds:F2}s ({mpop.Check})");
            var coll = await RunCollectorAsync(collector, server, users, Path.Combine(work, "collector"), expected, options.MaxClients).ConfigureAwait(false);
            results.Add(("collector once", coll.Run, coll.Check, coll.Valid));
            Mark();
            Console.WriteLine($"collector: {coll.Run.Wall.TotalSeconds:F2}s ({coll.Check})");

            // Breakdown (not part of the comparison): the same node again with nothing new (start, 200 journal
            // recoveries, 200 logins + UIDL + QUIT, stop), and `check` (process start + config parse only).
            var second = await RunCollectorAsync(collector, server, users, Path.Combine(work, "collector"), expected, options.MaxClients, nothingNew: true).ConfigureAwait(false);
            results.Add(("collector again", second.Run, second.Check, second.Valid));
            Mark();
            var check = await Tools.RunMeasuredAsync(collector, ["check", "--config", Path.Combine(work, "collector", "node.hocon")], RunTimeout).ConfigureAwait(false);
            results.Add(("collector check", check, check.ExitCode == 0 ? "start + config parse" : $"exit {check.ExitCode}", check.ExitCode == 0));
            Mark();
        }
        finally
        {
            if (!options.Keep)
            {
                Tools.TryDelete(work);
            }
            else
            {
                Console.WriteLine($"kept {work}");
            }
        }

        var report = new StringBuilder();
        void Say(string line = "")
        {
            Console.WriteLine(line);
            report.Append(line).Append('\n');
        }

        Say();
        Say($"benchmark: tokens-{accounts}x{perAccount} ({accounts} accounts x {perAccount} messages = {total} messages, {bytes:N0} bytes, 2-20 KB), one run per tool, fresh client state");
        Say($"date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; host: {Environment.ProcessorCount} CPU; load average at report: {LoadAverage()}");
        Say($"command: {options.CommandLine}");
        Say($"collector: {collector} ({Tools.CollectorRevision(FindRepo())}; max-pop3-clients = {options.MaxClients}, max-per-server = {options.MaxClients}, ssl none, leave on server)");
        Say($"server: private Dovecot on {server.Host}:{server.PlainPort} (plain POP3, USER/PASS), warmed by one unmeasured mpop run");
        Say("fetchmail: -f rcfile with one 'poll LABEL via 127.0.0.1' entry per account, keep fetchall; delivery to a Maildir by --mda \"cat > tmp/NAME && mv tmp/NAME new/\" (fetchmail has no Maildir writer of its own)");
        Say("fetchmail bsmtp: the same polls with --bsmtp FILE: every message appended to one file, no MDA, no per-message file or fsync (a lower bound for fetchmail, not a like-for-like delivery)");
        Say("mpop: one config with every account, mpop -a, keep on, only_new, received_header off, delivery maildir");
        Say();
        Say($"{"tool",-16} {"wall s",8} {"CPU s",7} {"Dovecot CPU s",14} {"peak RSS MB",12} {"msgs/s",8}  valid");
        for (var i = 0; i < results.Count; i++)
        {
            var (tool, run, check, valid) = results[i];
            Say($"{tool,-16} {run.Wall.TotalSeconds,8:F2} {(run.CpuSeconds is { } c ? c.ToString("F2", CultureInfo.InvariantCulture) : "-"),7} {(i < serverCpu.Count ? serverCpu[i] : double.NaN),14:F2} {run.PeakRssKb / 1024.0,12:F1} {total / run.Wall.TotalSeconds,8:F0}  {(valid ? "ok" : "INVALID")}: {check}");
        }

        var f = results.Single(r => r.Tool == "fetchmail").Run.Wall.TotalSeconds;
        var p = results.Single(r => r.Tool == "mpop").Run.Wall.TotalSeconds;
        var k = results.Single(r => r.Tool == "collector once").Run.Wall.TotalSeconds;
        Say();
        var b = results.Single(r => r.Tool == "fetchmail bsmtp").Run.Wall.TotalSeconds;
        var again = results.Single(r => r.Tool == "collector again").Run.Wall.TotalSeconds;
        var start = results.Single(r => r.Tool == "collector check").Run.Wall.TotalSeconds;
        Say($"collector breakdown: process start + config {start:F2}s; start, {accounts} recoveries + logins with nothing new, stop: {again:F2}s; so transfer of {total} messages ~ {k - again:F2}s");
        Say($"ratio collector/fetchmail (Maildir via MDA): {k / f:F3} (1/{f / k:F2}); collector/mpop: {k / p:F3} (1/{p / k:F2}); collector/fetchmail --bsmtp: {k / b:F3}; target: at most 1/3.8 of fetchmail");
        if (options.ResultsDirectory is { } dir)
        {
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, $"tokens-{accounts}x{perAccount}.txt");
            await File.WriteAllTextAsync(file, report.ToString()).ConfigureAwait(false);
            Console.WriteLine($"wrote {file}");
        }

        return results.All(r => r.Valid) ? 0 : 1;
    }

    private static async Task<(Measured Run, string Check, bool Valid)> RunFetchmailAsync(Options options, DovecotServer server, List<TestMailUser> users, string dir, HashSet<string> expected, bool maildir)
    {
        Directory.CreateDirectory(dir);
        var rc = new StringBuilder()
            .AppendLine("set no syslog")
            .AppendLine("set no bouncemail")
            .AppendLine(CultureInfo.InvariantCulture, $"defaults proto pop3 port {server.PlainPort} timeout 60 keep fetchall no rewrite sslproto ''");
        for (var i = 0; i < users.Count; i++)
        {
            rc.AppendLine(CultureInfo.InvariantCulture, $"poll a{i:D3} via {server.Host} user \"{users[i].Name}\" there with password \"{users[i].Password}\" is root here");
        }

        var rcFile = Path.Combine(dir, "fetchmailrc");
        await File.WriteAllTextAsync(rcFile, rc.ToString()).ConfigureAwait(false);
        File.SetUnixFileMode(rcFile, UnixFileMode.UserRead | UnixFileMode.UserWrite); // fetchmail refuses a readable rc with passwords
        var bsmtp = Path.Combine(dir, "out.bsmtp");
        var box = Path.Combine(dir, "maildir");
        Tools.CreateMaildir(box);
        // The MDA runs under /bin/sh per message; $$ (that shell's pid) names the file, written in tmp/ then moved into new/.
        string[] delivery = maildir ? ["--mda", $"cat > {box}/tmp/m$$ && mv {box}/tmp/m$$ {box}/new/m$$.fetchmail"] : ["--bsmtp", bsmtp];
        var run = await Tools.RunMeasuredAsync(options.Fetchmail, ["-f", rcFile, .. delivery, "--idfile", Path.Combine(dir, "fetchids"), "--nodetach", "--nosyslog", "--silent"], RunTimeout,
            new Dictionary<string, string> { ["HOME"] = dir }).ConfigureAwait(false);
        var ids = maildir ? MaildirMessageIds(box) : File.Exists(bsmtp) ? MessageIds(File.ReadLines(bsmtp)) : [];
        return Check(run, ids, expected, okExit: run.ExitCode is 0);
    }

    private static async Task<(Measured Run, string Check, bool Valid)> RunMpopAsync(Options options, DovecotServer server, List<TestMailUser> users, string dir, HashSet<string>? expected = null)
    {
        Directory.CreateDirectory(Path.Combine(dir, "uidls"));
        var maildir = Path.Combine(dir, "maildir");
        Tools.CreateMaildir(maildir);
        var rc = new StringBuilder()
            .AppendLine("defaults")
            .AppendLine(CultureInfo.InvariantCulture, $"host {server.Host}")
            .AppendLine(CultureInfo.InvariantCulture, $"port {server.PlainPort}")
            .AppendLine("tls off")
            .AppendLine("auth user")
            .AppendLine("keep on")
            .AppendLine("only_new on")
            .AppendLine("received_header off")
            .AppendLine(CultureInfo.InvariantCulture, $"delivery maildir {maildir}");
        for (var i = 0; i < users.Count; i++)
        {
            rc.AppendLine(CultureInfo.InvariantCulture, $"account a{i:D3}")
                .AppendLine(CultureInfo.InvariantCulture, $"user {users[i].Name}")
                .AppendLine(CultureInfo.InvariantCulture, $"password {users[i].Password}")
                .AppendLine(CultureInfo.InvariantCulture, $"uidls_file {Path.Combine(dir, "uidls", "a" + i.ToString("D3", CultureInfo.InvariantCulture))}");
        }

        var rcFile = Path.Combine(dir, "mpoprc");
        await File.WriteAllTextAsync(rcFile, rc.ToString()).ConfigureAwait(false);
        File.SetUnixFileMode(rcFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var run = await Tools.RunMeasuredAsync(options.Mpop, ["--file=" + rcFile, "--quiet", "-a"], RunTimeout).ConfigureAwait(false);
        return Check(run, MaildirMessageIds(maildir), expected, okExit: run.ExitCode == 0);
    }

    private static async Task<(Measured Run, string Check, bool Valid)> RunCollectorAsync(string collector, DovecotServer server, List<TestMailUser> users, string dir, HashSet<string> expected, int maxClients, bool nothingNew = false)
    {
        Directory.CreateDirectory(dir);
        var maildir = Path.Combine(dir, "maildir");
        var nodeFile = Path.Combine(dir, "node.hocon");
        if (!nothingNew)
        {
            await WriteNodeFileAsync(nodeFile, dir, maildir, server, users, maxClients).ConfigureAwait(false);
        }

        var run = await Tools.RunMeasuredAsync(collector, ["once", "--config", nodeFile], RunTimeout, new Dictionary<string, string>
        {
            ["XDG_STATE_HOME"] = Path.Combine(dir, "xdg-state"),
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        }).ConfigureAwait(false);
        return Judge(run, maildir, expected, users.Count, nothingNew);
    }

    private static async Task WriteNodeFileAsync(string nodeFile, string dir, string maildir, DovecotServer server, List<TestMailUser> users, int maxClients)
    {
        var node = new StringBuilder()
            .AppendLine("collector {")
            .AppendLine(CultureInfo.InvariantCulture, $"  state-directory = {Tools.Quote(Path.Combine(dir, "state"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"  max-pop3-clients = {maxClients}")
            .AppendLine(CultureInfo.InvariantCulture, $"  max-per-server = {maxClients}")
            .AppendLine("  command-host.port = 0")
            .AppendLine("  accounts = [");
        for (var i = 0; i < users.Count; i++)
        {
            node.AppendLine(CultureInfo.InvariantCulture, $"    {{ id = a{i:D3}, pop3-server = {Tools.Quote(server.Host)}, port = {server.PlainPort}, pop3-account = {Tools.Quote(users[i].Name)}, password = {Tools.Quote(users[i].Password)}, ssl = none, leave-mail-on-server = on, mailbox = {Tools.Quote("maildir:" + maildir)} }}");
        }

        node.AppendLine("  ]").AppendLine("}");
        await File.WriteAllTextAsync(nodeFile, node.ToString()).ConfigureAwait(false);
        File.SetUnixFileMode(nodeFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    private static (Measured Run, string Check, bool Valid) Judge(Measured run, string maildir, HashSet<string> expected, int accounts, bool nothingNew)
    {
        var result = Check(run, MaildirMessageIds(maildir), expected, okExit: run.ExitCode == 0);
        var reported = Tools.CollectorCollected(run.StandardOutput);
        if (nothingNew)
        {
            return reported == 0 && result.Valid
                ? (run, $"{accounts} logins, nothing new, Maildir still {expected.Count}", true)
                : (run, result.Check + $"; second run reported {reported} collected", false);
        }

        if (reported != expected.Count)
        {
            return (run, result.Check + $"; collector reported {reported?.ToString(CultureInfo.InvariantCulture) ?? "nothing"} collected", false);
        }

        return result;
    }

    private static (Measured Run, string Check, bool Valid) Check(Measured run, List<string> ids, HashSet<string>? expected, bool okExit)
    {
        var distinct = ids.ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        if (!okExit)
        {
            problems.Add($"exit {run.ExitCode}: {run.Combined.Split('\n').LastOrDefault()}");
        }

        if (expected is not null)
        {
            var missing = expected.Count(e => !distinct.Contains(e));
            var unexpected = distinct.Count(d => !expected.Contains(d));
            if (missing != 0 || unexpected != 0 || ids.Count != expected.Count)
            {
                problems.Add($"{ids.Count} delivered, {missing} missing, {unexpected} unexpected, {ids.Count - distinct.Count} duplicates");
            }
        }

        return (run, problems.Count == 0 ? $"{ids.Count} messages, every Message-ID once" : string.Join("; ", problems), problems.Count == 0);
    }

    internal static List<string> MaildirMessageIds(string maildir)
    {
        var ids = new List<string>();
        foreach (var sub in new[] { "new", "cur" })
        {
            var path = Path.Combine(maildir, sub);
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path))
                {
                    ids.AddRange(MessageIds(File.ReadLines(file).TakeWhile(l => l.Length > 0 && l != "\r")));
                }
            }
        }

        return ids;
    }

    internal static List<string> MessageIds(IEnumerable<string> lines) =>
        lines.Where(l => l.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase)).Select(l => l["Message-ID:".Length..].Trim().Trim('<', '>')).ToList();

    /// <summary>
    /// CPU seconds used so far by this Dovecot: the master (with its reaped children: a login and a pop3 process per
    /// session) plus its live children (auth, log, ...). From /proc, in clock ticks of 1/100 s.
    /// </summary>
    internal static double DovecotCpuSeconds(DovecotServer server)
    {
        long ticks = 0;
        int? master = null;
        var stats = new List<(int Pid, int Parent, long Own, long Children)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // f[0] = state (field 3)
                var parent = int.Parse(f[1], CultureInfo.InvariantCulture);
                long Field(int n) => long.Parse(f[n - 3], CultureInfo.InvariantCulture);
                stats.Add((pid, parent, Field(14) + Field(15), Field(16) + Field(17)));
                if (cmdline.Contains(server.ConfigPath, StringComparison.Ordinal) && cmdline.Contains("dovecot", StringComparison.Ordinal))
                {
                    master ??= pid;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
            {
                // exited meanwhile
            }
        }

        if (master is null)
        {
            return double.NaN;
        }

        foreach (var (pid, parent, own, children) in stats)
        {
            if (pid == master)
            {
                ticks += own + children;
            }
            else if (parent == master)
            {
                ticks += own + children;
            }
        }

        return ticks / 100.0;
    }

    internal static string? FindRepo()
    {
        for (var d = new DirectoryInfo(Environment.CurrentDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "CollectorCluster.sln")))
            {
                return d.FullName;
            }
        }

        return null;
    }

    internal static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
