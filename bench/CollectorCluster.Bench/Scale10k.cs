using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CollectorCluster.Testing;
using Microsoft.Data.Sqlite;

namespace CollectorCluster.Bench;

/// <summary>
/// <c>cc-bench scale-10k</c>: one node with 10,000 accounts on a private Dovecot (10,000 users, most mailboxes empty).
/// Measures the RSS per idle account ((RSS with N accounts − RSS with none) / N), the time from the process start
/// until every account has its first scheduled slot, and the schedule lag (login time − due time) p50/p99 over a steady
/// window with a short check-every (12 minutes of check-every 2m: the sessions of an hour of check-every 10m); and,
/// for docs/CAPACITY.md, journal rows and bytes and CPU per session.
/// </summary>
public static class Scale10k
{
    private const double RssGoalKb = 10;

    /// <summary>The PostgreSQL journal's connection string (--journal postgresql), or null for SQLite.</summary>
    private static string? Journal { get; set; }
    private static readonly TimeSpan ScheduleGoal = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan LagGoal = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(Options options)
    {
        var n = options.AccountsGiven ? options.Accounts : 10_000;
        var withMail = Math.Max(1, n / 20);
        var checkEvery = options.CheckEvery;
        var steady = options.Steady;
        var root = Directory.CreateTempSubdirectory("cc-scale-").FullName;
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        Console.WriteLine($"scale: {n} accounts ({withMail} with one message), check-every {checkEvery}, steady {steady.TotalMinutes:F0} min, max-pop3-clients {options.MaxClients}; in {root}");
        await using var dovecot = await DovecotServer.StartAsync(new DovecotServerOptions { ExtraConfigLines = ["mail_max_userip_connections = 100"] }).ConfigureAwait(false);
        await using var postgres = options.Journal == "postgresql" ? await PostgresServer.StartAsync().ConfigureAwait(false) : null;
        Journal = postgres?.ConnectionString;
        var users = await CreateUsersAsync(dovecot, n).ConfigureAwait(false);
        for (var i = 0; i < withMail; i++)
        {
            dovecot.DropMessage(users[i * (n / withMail)].Name, MessageFactory.Create(2000 + i, 900_000 + i));
        }

        // The same node without accounts: what the runtime costs by itself.
        var baseline = await RunNodeAsync(self, WriteNode(root, "baseline", dovecot, [], checkEvery, options), root, "baseline", expected: 0, settle: TimeSpan.FromSeconds(30), steady: TimeSpan.Zero).ConfigureAwait(false);
        Console.WriteLine($"baseline: RSS {baseline.RssKb / 1024.0:F1} MB");

        var scale = await RunNodeAsync(self, WriteNode(root, "scale", dovecot, users, checkEvery, options), root, "scale", expected: n, settle: checkEvery, steady: steady).ConfigureAwait(false);
        var perAccountKb = (scale.RssKb - baseline.RssKb) / (double)n;
        var heapPerAccountKb = (scale.HeapBytes - baseline.HeapBytes) / 1024.0 / n;
        var (rows, bytes, sessions) = Journal is null ? JournalFigures(Path.Combine(root, "scale-state", "journal.db")) : (0, 0, 0);
        var lags = scale.SteadyLags.Order().ToArray();
        var report = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"# cc-bench scale-10k: {n} accounts on one node ({Environment.ProcessorCount} cores), {DateTimeOffset.UtcNow:u}")
            .AppendLine(CultureInfo.InvariantCulture, $"command: {options.CommandLine}")
            .AppendLine(CultureInfo.InvariantCulture, $"setup: private Dovecot with {n} users (passwd-file per user), {withMail} mailboxes with one message, the rest empty; {(Journal is null ? "SQLite" : "PostgreSQL")} journal; check-every {checkEvery}, max-pop3-clients {options.MaxClients}, max-per-server {options.MaxClients} (all on one server); {(options.SleepMinIdle is { } idle ? $"idle accounts sleep (collector.sleep: min-idle {idle}, wake-ahead 10s)" : "accounts never sleep")}")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"RSS with none:        {baseline.RssKb / 1024.0,8:F1} MB (median of samples after start)")
            .AppendLine(CultureInfo.InvariantCulture, $"RSS with {n}:  {scale.RssKb / 1024.0,8:F1} MB (median of samples over the steady window)")
            .AppendLine(CultureInfo.InvariantCulture, $"RSS per idle account: {perAccountKb,8:F2} KB   (goal < {RssGoalKb} KB: {(perAccountKb < RssGoalKb ? "met" : "NOT met")})")
            .AppendLine(CultureInfo.InvariantCulture, $"managed heap per account: {heapPerAccountKb,8:F2} KB   (heap after the latest full GC, medians: {baseline.HeapBytes / 1048576.0:F1} MB with none, {scale.HeapBytes / 1048576.0:F1} MB with {n}; 0 when none ran; RSS adds the GC's free space and native memory)")
            .AppendLine(CultureInfo.InvariantCulture, $"every account scheduled: {scale.AllScheduled?.TotalSeconds,6:F1} s after the process started (\"up with\" logged at {scale.UpAt?.TotalSeconds:F1} s)   (goal < {ScheduleGoal.TotalSeconds:F0} s: {(scale.AllScheduled < ScheduleGoal ? "met" : "NOT met")})")
            .AppendLine(CultureInfo.InvariantCulture, $"schedule lag over the steady window ({lags.Length} scheduled sessions): p50 {Percentile(lags, 0.50):F2} s, p99 {Percentile(lags, 0.99):F2} s, max {(lags.Length == 0 ? 0 : lags[^1]):F2} s   (goal p99 < {LagGoal.TotalSeconds:F0} s: {(Percentile(lags, 0.99) < LagGoal.TotalSeconds ? "met" : "NOT met")})")
            .AppendLine(CultureInfo.InvariantCulture, $"CPU per scheduled session (node, steady window): {scale.SteadyCpuSeconds * 1000 / Math.Max(1, lags.Length):F2} ms ({scale.SteadyCpuSeconds:F1} s CPU for {lags.Length} sessions)")
            .AppendLine(CultureInfo.InvariantCulture, $"journal: {rows} account event rows, {bytes} payload bytes for {sessions} sessions: {rows / (double)Math.Max(1, sessions):F2} rows and {bytes / (double)Math.Max(1, sessions):F0} bytes per session (rows present at the end)")
            .AppendLine(CultureInfo.InvariantCulture, $"journal rows inserted in the steady window, every persistence id (accounts, alarms, sharding's remembered entities): {scale.SteadyRowsInserted}, {scale.SteadyRowsInserted / (double)Math.Max(1, lags.Length):F2} per scheduled session")
            .AppendLine(CultureInfo.InvariantCulture, $"schedule start: {string.Join(", ", scale.Progress.Select(p => $"{p.Count} at {p.At.TotalSeconds:F1} s"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"RSS samples (MB): baseline {string.Join(" ", baseline.RssSamples.Select(s => (s / 1024.0).ToString("F0", CultureInfo.InvariantCulture)))}; scale {string.Join(" ", scale.RssSamples.Select(s => (s / 1024.0).ToString("F0", CultureInfo.InvariantCulture)))}");
        Console.WriteLine();
        Console.Write(report);
        if (options.ResultsDirectory is { } results)
        {
            Directory.CreateDirectory(results);
            await File.WriteAllTextAsync(Path.Combine(results, $"scale-{n / 1000}k.txt"), report.ToString()).ConfigureAwait(false);
        }

        if (!options.Keep)
        {
            Tools.TryDelete(root);
        }

        return scale.AllScheduled is null ? 1 : 0;
    }

    private static async Task<List<TestMailUser>> CreateUsersAsync(DovecotServer dovecot, int n)
    {
        var clock = Stopwatch.StartNew();
        var users = Enumerable.Range(0, n).Select(i => new TestMailUser(string.Create(CultureInfo.InvariantCulture, $"s{i:D5}"), TestSecrets.Password(label: "scale"))).ToList();
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (u, ct) => await dovecot.AddUserAsync(u.Name, u.Password, ct).ConfigureAwait(false)).ConfigureAwait(false);
        Console.WriteLine($"dovecot: {n} users in {clock.Elapsed.TotalSeconds:F0} s");
        return users;
    }

    private static string WriteNode(string root, string name, DovecotServer dovecot, IReadOnlyList<TestMailUser> users, TimeSpan checkEvery, Options options)
    {
        var maxClients = options.MaxClients;
        var maildir = Path.Combine(root, name + "-Maildir");
        var text = new StringBuilder()
            .AppendLine("collector {")
            .AppendLine(CultureInfo.InvariantCulture, $"  state-directory = {Tools.Quote(Path.Combine(root, name + "-state"))}")
            .AppendLine("  command-host.port = 0")
            .AppendLine(CultureInfo.InvariantCulture, $"  secrets.key-file = {Tools.Quote(Path.Combine(root, "cluster.key"))}") // one key: the runs may share a journal
            .AppendLine(Journal is null ? "" : $"  journal {{ provider = postgresql, connection-string = {Tools.Quote(Journal)} }}")
            .AppendLine(CultureInfo.InvariantCulture, $"  max-pop3-clients = {maxClients}")
            // Every account is on the one private Dovecot; the node's own caps are what is measured, not a provider's.
            .AppendLine(CultureInfo.InvariantCulture, $"  max-per-server = {maxClients}")
            .AppendLine(options.SleepMinIdle is { } minIdle ? $"  sleep {{ idle-accounts = on, min-idle = {(int)minIdle.TotalSeconds}s, wake-ahead = 10s }}" : "")
            .AppendLine("  accounts = [");
        foreach (var u in users)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {{ id = {u.Name}, pop3-server = \"127.0.0.1\", port = {dovecot.PlainPort}, ssl = none, pop3-account = {u.Name}, password = {u.Password}, check-every = {(int)checkEvery.TotalSeconds}s, mailbox = {Tools.Quote("maildir:" + maildir)} }}");
        }

        text.AppendLine("  ]").AppendLine("}");
        var path = Path.Combine(root, name + ".hocon");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private sealed record NodeRun(long RssKb, List<long> RssSamples, long HeapBytes, TimeSpan? UpAt, TimeSpan? AllScheduled, List<(int Count, TimeSpan At)> Progress, List<double> SteadyLags, double SteadyCpuSeconds, long SteadyRowsInserted);

    /// <summary>Runs the child node until its accounts are scheduled, then through the steady window; samples RSS and CPU from /proc.</summary>
    private static async Task<NodeRun> RunNodeAsync(string self, string config, string root, string name, int expected, TimeSpan settle, TimeSpan steady)
    {
        var report = Path.Combine(root, name + "-report.json");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "scale-node", "--config", config, "--report", report })
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start the node");
        TimeSpan? upAt = null;
        TimeSpan? allScheduled = null;
        var progress = new List<(int, TimeSpan)>();
        var heap = new ConcurrentQueue<(TimeSpan At, long Bytes)>();
        // Written by the stderr reader alone (a StreamWriter is not thread-safe: a flush from the sampling loop once
        // faulted the reader mid-run, the node's stderr pipe filled, and its logging blocked every thread that logged).
        var log = new StreamWriter(Path.Combine(root, name + ".log")) { AutoFlush = true };
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (upAt is null && line.Contains(" up with ", StringComparison.Ordinal))
                {
                    upAt = clock.Elapsed;
                }

                await log.WriteLineAsync(line).ConfigureAwait(false);
            }
        });
        var stdout = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                var parts = line.Split(' ');
                if (parts is ["heap", var bytes, var heapAt] && long.TryParse(bytes, CultureInfo.InvariantCulture, out var b) && long.TryParse(heapAt.TrimStart('+'), CultureInfo.InvariantCulture, out var heapMs))
                {
                    heap.Enqueue((TimeSpan.FromMilliseconds(heapMs), b));
                }

                if (parts is ["scheduled", var count, var at] && int.TryParse(count, CultureInfo.InvariantCulture, out var c) && long.TryParse(at.TrimStart('+'), CultureInfo.InvariantCulture, out var ms))
                {
                    if (progress.Count == 0 || progress[^1].Item1 != c)
                    {
                        progress.Add((c, TimeSpan.FromMilliseconds(ms)));
                    }

                    if (allScheduled is null && c >= expected && expected > 0)
                    {
                        allScheduled = TimeSpan.FromMilliseconds(ms);
                    }
                }
            }
        });

        var limit = Stopwatch.StartNew();
        while ((expected > 0 ? allScheduled is null : upAt is null) && !process.HasExited && limit.Elapsed < TimeSpan.FromMinutes(15))
        {
            await Task.Delay(200).ConfigureAwait(false);
        }

        Console.WriteLine($"{name}: {(expected > 0 ? $"all {expected} scheduled at {allScheduled?.TotalSeconds:F1} s" : $"up at {upAt?.TotalSeconds:F1} s")}; settling {settle.TotalSeconds:F0} s");
        await Task.Delay(settle).ConfigureAwait(false);
        var steadyStart = clock.Elapsed;
        var cpuStart = process.HasExited ? 0 : CpuSeconds(process.Id);
        var journal = Path.Combine(root, name + "-state", "journal.db");
        var rowsAtStart = LastRowId(journal);
        var rss = new List<long>();
        var until = steady > TimeSpan.Zero ? steady : TimeSpan.FromSeconds(20);
        var window = Stopwatch.StartNew();
        while (window.Elapsed < until && !process.HasExited)
        {
            if (stderr.IsFaulted || stdout.IsFaulted)
            {
                await Task.WhenAll(stderr, stdout).ConfigureAwait(false); // throws: a reader that stopped would stall the node
            }

            rss.Add(RssKb(process.Id));
            await Task.Delay(steady > TimeSpan.Zero ? TimeSpan.FromSeconds(30) : TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }

        var cpu = process.HasExited ? 0 : CpuSeconds(process.Id) - cpuStart;
        var rowsInserted = LastRowId(journal) - rowsAtStart;
        if (!process.HasExited)
        {
            ProcessSignal(process.Id, "TERM");
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        await Task.WhenAll(stderr, stdout).ConfigureAwait(false);
        await log.DisposeAsync().ConfigureAwait(false);
        var lags = new List<double>();
        if (File.Exists(report))
        {
            using var json = JsonDocument.Parse(await File.ReadAllTextAsync(report).ConfigureAwait(false));
            var at = json.RootElement.GetProperty("lagAtMs").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var seconds = json.RootElement.GetProperty("lagSeconds").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            lags.AddRange(at.Zip(seconds).Where(p => p.Item1 >= steadyStart.TotalMilliseconds).Select(p => p.Item2));
        }

        var median = rss.Count == 0 ? 0 : rss.Order().ElementAt(rss.Count / 2);
        var heapSamples = heap.Where(h => h.At >= steadyStart).Select(h => h.Bytes).Order().ToList();
        var heapMedian = heapSamples.Count == 0 ? 0 : heapSamples[heapSamples.Count / 2];
        return new NodeRun(median, rss, heapMedian, upAt, allScheduled, progress, lags, cpu, rowsInserted);
    }

    // The journal's row id only grows (rows deleted after a snapshot were inserted all the same): rows written so far, by
    // every persistence id (accounts, their alarms, sharding's remembered entities, the registry). 0 without a SQLite journal.
    private static long LastRowId(string journal)
    {
        if (!File.Exists(journal))
        {
            return 0;
        }

        using var db = new SqliteConnection($"Data Source={journal};Mode=ReadOnly");
        db.Open();
        using var query = db.CreateCommand();
        query.CommandText = "SELECT seq FROM sqlite_sequence WHERE name = 'event_journal'"; // AUTOINCREMENT's high-water mark
        return query.ExecuteScalar() is long seq ? seq : 0;
    }

    private static (long Rows, long Bytes, long Sessions) JournalFigures(string journal)
    {
        using var db = new SqliteConnection($"Data Source={journal};Mode=ReadOnly");
        db.Open();
        using var query = db.CreateCommand();
        query.CommandText = """
            SELECT COUNT(*), COALESCE(SUM(LENGTH(payload)), 0),
                   SUM(CASE WHEN manifest IN ('CollectionCompleted.v1', 'CollectionFailed.v1') THEN 1 ELSE 0 END)
            FROM event_journal WHERE persistence_id LIKE 'account-%'
            """;
        using var reader = query.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private static long RssKb(int pid)
    {
        if (!File.Exists($"/proc/{pid}/status"))
        {
            return 0;
        }

        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                return long.Parse(new string(line.Where(char.IsAsciiDigit).ToArray()), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static double CpuSeconds(int pid)
    {
        // /proc/PID/stat: fields 14 and 15 (utime, stime) in clock ticks, after the parenthesised command.
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static void ProcessSignal(int pid, string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, pid.ToString(CultureInfo.InvariantCulture)]);
        kill?.WaitForExit();
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
