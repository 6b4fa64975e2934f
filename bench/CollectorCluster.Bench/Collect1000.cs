using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CollectorCluster.Testing;

namespace CollectorCluster.Bench;

/// <summary>One measured process run.</summary>
public sealed record Sample(int Round, double WallSeconds, double PeakRssMiB, int ExitCode, bool Valid, string Detail, double? SessionSeconds, int Delivered)
{
    /// <summary>User + system CPU of the process (GNU time), when known.</summary>
    public double? CpuSeconds { get; init; }
}

/// <summary>
/// collect-1000: a private Dovecot with N (1,000) mixed-size messages (1 KB-200 KB); per round, with fresh client
/// state (mpop: new uidls file and Maildir; collector: new journal and Maildir), each tool collects everything
/// once (leave on server), then runs again on the same state with nothing new (the fixed cost).
/// Medians over the rounds, plus `collector check` as the bare process start + config parse cost.
/// </summary>
public static class Collect1000
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(Options options)
    {
        var collector = Tools.FindCollector(options);
        if (!File.Exists(options.Mpop))
        {
            throw new ArgumentException($"mpop not found at {options.Mpop} (apt-get install mpop, or --mpop PATH)");
        }

        EnsureSbinOnPath();
        var log = new StringBuilder();
        void Say(string line = "")
        {
            Console.WriteLine(line);
            log.Append(line).Append('\n');
        }

        Console.WriteLine($"collect-{options.Count}: starting a private Dovecot...");
        await using var server = await DovecotServer.StartAsync().ConfigureAwait(false);
        var user = await server.CreateUserAsync("bench").ConfigureAwait(false);
        var expected = new List<string>(options.Count);
        var expectedLf = new List<string>(options.Count); // mpop stores local (LF) line endings in a Maildir
        long totalBytes = 0;
        var dropClock = Stopwatch.StartNew();
        foreach (var message in MessageFactory.CreateMixedSet(options.Count))
        {
            server.DropMessage(user.Name, message);
            expected.Add(Tools.Sha256(message.Content));
            expectedLf.Add(Tools.Sha256(Tools.CrlfToLf(message.Content)));
            totalBytes += message.Size;
        }

        Console.WriteLine($"dropped {options.Count} messages, {totalBytes:N0} bytes, in {dropClock.Elapsed.TotalSeconds:F1}s; {server}");

        var work = Directory.CreateTempSubdirectory("cc-bench-").FullName;
        var mpopFirst = new List<Sample>();
        var mpopAgain = new List<Sample>();
        var collFirst = new List<Sample>();
        var collAgain = new List<Sample>();
        var check = new List<Sample>();
        try
        {
            // Warm-up (not measured): Dovecot builds its index and UIDL/size caches on the first session and the
            // message files enter the page cache, so every measured run of either tool sees the same warm server.
            Console.WriteLine("warm-up: one unmeasured mpop run");
            var warm = await RunMpopAsync(options, server, user, Path.Combine(work, "warmup"), 0, expected, expectedLf).ConfigureAwait(false);
            Console.WriteLine($"  warm-up: {warm.First.Detail}, {warm.First.WallSeconds:F3}s");
            Tools.TryDelete(Path.Combine(work, "warmup"));

            for (var round = 1; round <= options.Rounds; round++)
            {
                // Alternate which tool goes first so drift (page cache, CPU frequency) does not favour one.
                var order = round % 2 == 1 ? new[] { "mpop", "collector" } : new[] { "collector", "mpop" };
                foreach (var tool in order)
                {
                    var dir = Path.Combine(work, $"r{round}-{tool}");
                    if (tool == "mpop")
                    {
                        var (first, again) = await RunMpopAsync(options, server, user, dir, round, expected, expectedLf).ConfigureAwait(false);
                        mpopFirst.Add(first);
                        mpopAgain.Add(again);
                        Console.WriteLine($"  round {round} mpop:      {first.WallSeconds:F3}s {first.PeakRssMiB:F1} MiB ({first.Detail}); nothing new {again.WallSeconds:F3}s");
                    }
                    else
                    {
                        var (first, again) = await RunCollectorAsync(collector, server, user, dir, round, expected).ConfigureAwait(false);
                        collFirst.Add(first);
                        collAgain.Add(again);
                        Console.WriteLine($"  round {round} collector: {first.WallSeconds:F3}s {first.PeakRssMiB:F1} MiB ({first.Detail}); nothing new {again.WallSeconds:F3}s ({again.Detail})");
                    }

                    if (!options.Keep || round < options.Rounds)
                    {
                        Tools.TryDelete(dir);
                    }
                }

                check.Add(await RunCheckAsync(collector, server, user, Path.Combine(work, $"r{round}-check"), round).ConfigureAwait(false));
                Tools.TryDelete(Path.Combine(work, $"r{round}-check"));
            }
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

        // ---- report ----
        var env = Describe(options, collector, totalBytes, server);
        Say();
        foreach (var line in env)
        {
            Say(line);
        }

        Say();
        var rows = new[]
        {
            Row("mpop", $"{options.Count} new", mpopFirst, options.Count, totalBytes),
            Row("collector once", $"{options.Count} new", collFirst, options.Count, totalBytes),
            Row("mpop", "nothing new", mpopAgain, 0, 0),
            Row("collector once", "nothing new", collAgain, 0, 0),
            Row("collector check", "start+config", check, 0, 0),
        };
        Say($"{"tool",-16} {"run",-13} {"wall s (median)",15} {"msgs/s",9} {"MB/s",8} {"peak RSS MB",12} {"CPU s",6} {"valid",6}  rounds (wall s)");
        foreach (var r in rows)
        {
            Say($"{r.Tool,-16} {r.Run,-13} {Fmt(r.WallSeconds, "F3"),15} {Fmt(r.MessagesPerSecond, "F0"),9} {Fmt(r.MegabytesPerSecond, "F1"),8} {Fmt(r.PeakRssMiB, "F1"),12} {Fmt(r.CpuSeconds, "F2"),6} {r.ValidText,6}  {string.Join(" ", r.Samples.Select(s => s.WallSeconds.ToString("F3", CultureInfo.InvariantCulture) + (s.Valid ? "" : "!")))}");
        }

        Say();
        var ratioWall = Ratio(rows[1].WallSeconds, rows[0].WallSeconds);
        var ratioRss = Ratio(rows[1].PeakRssMiB, rows[0].PeakRssMiB);
        var ratioFixed = Ratio(rows[3].WallSeconds, rows[2].WallSeconds);
        Say($"ratio collector/mpop, {options.Count} new:  wall {Fmt(ratioWall, "F2")}x, peak RSS {Fmt(ratioRss, "F2")}x");
        Say($"ratio collector/mpop, nothing new: wall {Fmt(ratioFixed, "F2")}x");
        Say();
        var breakdown = Breakdown(rows, collFirst);
        foreach (var line in breakdown)
        {
            Say(line);
        }

        Say();
        Say("MB = 10^6 bytes of message content; RSS in MiB (GNU time %M / VmHWM, KiB / 1024); CPU s = user + system (GNU time; '-' without it). A '!' marks an invalid run (exit code, content mismatch or wrong count); medians use valid runs only.");

        var invalid = rows.SelectMany(r => r.Samples).Where(s => !s.Valid).ToList();
        foreach (var s in invalid)
        {
            Say($"INVALID round {s.Round}: {s.Detail}");
        }

        if (options.ResultsDirectory is not null)
        {
            Directory.CreateDirectory(options.ResultsDirectory);
            var json = JsonSerializer.Serialize(new
            {
                benchmark = $"collect-{options.Count}",
                command = options.CommandLine,
                environment = env,
                messages = options.Count,
                bytes = totalBytes,
                rounds = options.Rounds,
                rows,
                ratios = new { wallCollectorOverMpop = ratioWall, peakRssCollectorOverMpop = ratioRss, nothingNewWallCollectorOverMpop = ratioFixed },
                breakdown,
            }, new JsonSerializerOptions { WriteIndented = true });
            var jsonPath = Path.Combine(options.ResultsDirectory, $"collect-{options.Count}.json");
            await File.WriteAllTextAsync(jsonPath, json).ConfigureAwait(false);
            var txtPath = Path.Combine(options.ResultsDirectory, $"collect-{options.Count}.txt");
            await File.WriteAllTextAsync(txtPath, log.ToString()).ConfigureAwait(false);
            Console.WriteLine($"wrote {jsonPath} and {txtPath}");
        }

        return invalid.Count == 0 && rows.All(r => r.Samples.Count > 0) ? 0 : 1;
    }

    private static async Task<(Sample First, Sample Again)> RunMpopAsync(Options options, DovecotServer server, TestMailUser user, string dir, int round, IReadOnlyList<string> expected, IReadOnlyList<string> expectedLf)
    {
        Directory.CreateDirectory(dir);
        var maildir = Path.Combine(dir, "maildir");
        Tools.CreateMaildir(maildir);
        var config = Tools.WriteMpopConfig(Path.Combine(dir, "mpoprc"), server.Host, server.PlainPort, user.Name, user.Password, Path.Combine(dir, "uidls"), maildir);
        string[] args = ["--file=" + config, "--quiet", "bench"];

        var first = await Tools.RunMeasuredAsync(options.Mpop, args, RunTimeout).ConfigureAwait(false);
        var firstSample = Validate(round, first, maildir, expected, null);
        if (!firstSample.Valid)
        {
            // mpop converts CRLF to LF when it delivers; accept exactly that transformation, and say so.
            var lf = Validate(round, first, maildir, expectedLf, null);
            if (lf.Valid)
            {
                firstSample = lf with { Detail = lf.Detail + " after CRLF->LF (mpop stores LF)" };
            }
        }

        var again = await Tools.RunMeasuredAsync(options.Mpop, args, RunTimeout).ConfigureAwait(false);
        var againSample = ValidateNothingNew(round, again, maildir, expected.Count, null);
        return (firstSample, againSample);
    }

    private static async Task<(Sample First, Sample Again)> RunCollectorAsync(string collector, DovecotServer server, TestMailUser user, string dir, int round, IReadOnlyList<string> expected)
    {
        Directory.CreateDirectory(dir);
        var maildir = Path.Combine(dir, "maildir");
        var node = Tools.WriteNodeFile(Path.Combine(dir, "node.hocon"), Path.Combine(dir, "state"), server.Host, server.PlainPort, user.Name, user.Password, maildir, "bench");
        string[] args = ["once", "--config", node];

        var first = await Tools.RunMeasuredAsync(collector, args, RunTimeout, CollectorEnvironment(dir)).ConfigureAwait(false);
        var firstSample = Validate(round, first, maildir, expected, Tools.CollectorCollected(first.StandardOutput));
        var again = await Tools.RunMeasuredAsync(collector, args, RunTimeout, CollectorEnvironment(dir)).ConfigureAwait(false);
        var againSample = ValidateNothingNew(round, again, maildir, expected.Count, Tools.CollectorCollected(again.StandardOutput));
        return (firstSample with { SessionSeconds = Tools.CollectorSessionSeconds(first.StandardOutput) },
                againSample with { SessionSeconds = Tools.CollectorSessionSeconds(again.StandardOutput) });
    }

    private static async Task<Sample> RunCheckAsync(string collector, DovecotServer server, TestMailUser user, string dir, int round)
    {
        Directory.CreateDirectory(dir);
        var node = Tools.WriteNodeFile(Path.Combine(dir, "node.hocon"), Path.Combine(dir, "state"), server.Host, server.PlainPort, user.Name, user.Password, Path.Combine(dir, "maildir"), "bench");
        var m = await Tools.RunMeasuredAsync(collector, ["check", "--config", node], RunTimeout, CollectorEnvironment(dir)).ConfigureAwait(false);
        return new Sample(round, m.Wall.TotalSeconds, m.PeakRssKb / 1024.0, m.ExitCode, m.ExitCode == 0, m.ExitCode == 0 ? "ok" : $"exit {m.ExitCode}: {Last(m.Combined)}", null, 0) { CpuSeconds = m.CpuSeconds };
    }

    // Keep the collector away from the caller's ~/.local/state: everything lives in the round's directory.
    private static Dictionary<string, string> CollectorEnvironment(string dir) => new()
    {
        ["XDG_STATE_HOME"] = Path.Combine(dir, "xdg-state"),
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    private static Sample Validate(int round, Measured m, string maildir, IReadOnlyList<string> expected, int? reported)
    {
        var actual = Tools.HashMaildir(maildir);
        var (matching, missing, unexpected) = Tools.CompareHashes(expected, actual);
        var problems = new List<string>();
        if (m.ExitCode != 0)
        {
            problems.Add($"exit {m.ExitCode}: {Last(m.Combined)}");
        }

        if (missing != 0 || unexpected != 0)
        {
            problems.Add($"content: {matching} byte-identical, {missing} missing, {unexpected} unexpected files");
        }

        if (reported is not null && reported != expected.Count)
        {
            problems.Add($"reported {reported} collected");
        }

        var detail = problems.Count == 0 ? $"{matching}/{expected.Count} SHA-256 equal" : string.Join("; ", problems);
        return new Sample(round, m.Wall.TotalSeconds, m.PeakRssKb / 1024.0, m.ExitCode, problems.Count == 0, detail, null, matching) { CpuSeconds = m.CpuSeconds };
    }

    private static Sample ValidateNothingNew(int round, Measured m, string maildir, int expectedCount, int? reported)
    {
        var count = Tools.HashMaildir(maildir).Count;
        var problems = new List<string>();
        if (m.ExitCode != 0)
        {
            problems.Add($"exit {m.ExitCode}: {Last(m.Combined)}");
        }

        if (count != expectedCount)
        {
            problems.Add($"maildir holds {count} files after the second run, expected {expectedCount}");
        }

        if (reported is not null && reported != 0)
        {
            problems.Add($"reported {reported} collected on the second run");
        }

        return new Sample(round, m.Wall.TotalSeconds, m.PeakRssKb / 1024.0, m.ExitCode, problems.Count == 0, problems.Count == 0 ? "0 new" : string.Join("; ", problems), null, 0) { CpuSeconds = m.CpuSeconds };
    }

    private static string Last(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? "(no output)" : string.Join(" | ", lines.TakeLast(3));
    }

    /// <summary>A table row: medians over valid samples.</summary>
    public sealed record ResultRow(string Tool, string Run, IReadOnlyList<Sample> Samples, double? WallSeconds, double? MessagesPerSecond, double? MegabytesPerSecond, double? PeakRssMiB, double? SessionSeconds, double? CpuSeconds, string ValidText);

    private static ResultRow Row(string tool, string run, List<Sample> samples, int messages, long bytes)
    {
        var valid = samples.Where(s => s.Valid).ToList();
        var wall = Median(valid.Select(s => s.WallSeconds));
        var rss = Median(valid.Select(s => s.PeakRssMiB));
        var session = Median(valid.Where(s => s.SessionSeconds is not null).Select(s => s.SessionSeconds!.Value));
        var cpu = Median(valid.Where(s => s.CpuSeconds is not null).Select(s => s.CpuSeconds!.Value));
        double? mps = wall is > 0 && messages > 0 ? messages / wall : null;
        double? mbs = wall is > 0 && bytes > 0 ? bytes / 1e6 / wall : null;
        var validText = valid.Count == samples.Count ? $"{valid.Count}/{samples.Count}" : $"{valid.Count}/{samples.Count}!";
        return new ResultRow(tool, run, samples, wall, mps, mbs, rss, session, cpu, validText);
    }

    private static List<string> Breakdown(ResultRow[] rows, List<Sample> collectorFirst)
    {
        _ = collectorFirst;
        string F(double? v) => Fmt(v, "F3") + "s";
        double? Minus(double? x, double? y) => x is not null && y is not null ? x - y : null;
        var wall = rows[1].WallSeconds;
        var session = rows[1].SessionSeconds;
        var fixedWall = rows[3].WallSeconds;
        var fixedSession = rows[3].SessionSeconds;
        var checkWall = rows[4].WallSeconds;
        var mpopWall = rows[0].WallSeconds;
        var mpopFixed = rows[2].WallSeconds;
        return
        [
            "where collector's time goes (medians; 'session' = the time collector itself reports for the POP3 session, connect to QUIT):",
            $"  nothing new, whole process:                    {F(fixedWall)}   (mpop {F(mpopFixed)}); CPU {F(rows[3].CpuSeconds)} (wall - CPU = waiting: {F(Minus(fixedWall, rows[3].CpuSeconds))})",
            $"    process start + config parse (`collector check`): {F(checkWall)}",
            $"    POP3 session (login, UIDL, LIST, QUIT):           {F(fixedSession)}",
            $"    the rest: host/actor system/journal start + stop: {F(Minus(Minus(fixedWall, checkWall), fixedSession))}",
            $"  all new, whole process:                        {F(wall)}   (mpop {F(mpopWall)})",
            $"    POP3 session incl. RETR, Maildir fsyncs, journal: {F(session)}",
            $"    outside the session:                              {F(Minus(wall, session))}",
            $"  transfer cost = all new - nothing new:         {F(Minus(wall, fixedWall))}   (mpop {F(Minus(mpopWall, mpopFixed))})",
        ];
    }

    private static List<string> Describe(Options options, string collector, long totalBytes, DovecotServer server)
    {
        var repo = FindRepo();
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?"
            : "?";
        return
        [
            $"benchmark: collect-{options.Count} ({options.Count} messages, {totalBytes:N0} bytes, 1 KB-200 KB log-uniform, MessageFactory seed 1), {options.Rounds} round(s), median",
            $"date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; host: {Environment.ProcessorCount} CPU ({cpu}), kernel {Environment.OSVersion.Version}; load average at report: {LoadAverage()}",
            $"command: {options.CommandLine}",
            $"collector: {collector} ({Tools.CollectorRevision(repo)})",
            $"mpop: {options.Mpop} ({FirstLine(options.Mpop, "--version")}); dovecot {FirstLine("/usr/sbin/dovecot", "--version")}; .NET {Environment.Version}",
            $"server: private Dovecot on {server.Host}:{server.PlainPort} (plain POP3, USER/PASS); both tools: leave on server, Maildir delivery, fresh client state per round",
        ];
    }

    // Other work on the machine skews wall times; the report says how busy it was.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string? FindRepo()
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

    private static string FirstLine(string program, string arg)
    {
        try
        {
            var info = new ProcessStartInfo(program, arg) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(info)!;
            var text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return text.Split('\n')[0].Trim();
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "?";
        }
    }

    private static void EnsureSbinOnPath()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        if (!path.Split(':').Contains("/usr/sbin"))
        {
            Environment.SetEnvironmentVariable("PATH", path + ":/usr/sbin:/sbin");
        }
    }

    internal static void EnsureSbin() => EnsureSbinOnPath();

    private static double? Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        if (v.Length == 0)
        {
            return null;
        }

        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[(v.Length / 2) - 1] + v[v.Length / 2]) / 2;
    }

    private static double? Ratio(double? a, double? b) => a is not null && b is > 0 ? a / b : null;

    private static string Fmt(double? value, string format) => value?.ToString(format, CultureInfo.InvariantCulture) ?? "-";
}
