using System.Diagnostics;
using System.Globalization;
using System.Text;
using CollectorCluster.Testing.Faults;

namespace CollectorCluster.Bench;

/// <summary>
/// faults: the fault campaign of issue 11. <c>--faults N</c> seeded scenarios (<see cref="FaultPlan"/>) spread over
/// every fault kind × mode × destination, each against a fresh mailbox on one private Dovecot: the fault, a check
/// point, the recovery, the invariant (every message delivered exactly once by Message-ID and body SHA-256, none
/// deleted on the server before delivery or against the setting, no run hung). Writes the table to
/// <c>faults.txt</c> in <c>--results</c>, but only from a tree without uncommitted changes.
/// </summary>
public static class Faults
{
    public static async Task<int> RunAsync(Options options)
    {
        Collect1000.EnsureSbin();
        var repo = FindRepo();
        var dirty = Uncommitted(repo);
        if (options.ResultsDirectory is not null && dirty.Count > 0)
        {
            Console.Error.WriteLine($"cc-bench faults: the tree at {repo} has {dirty.Count} uncommitted change(s) (e.g. {dirty[0]}); commit them first, or run without --results");
            return 3;
        }

        var all = FaultPlan.Campaign(options.Faults, options.Seed);
        var scenarios = all
            .Where(s => options.Kinds.Count == 0 || options.Kinds.Contains(s.Kind))
            .Where(s => options.Only.Count == 0 || options.Only.Contains(s.Index))
            .ToList();
        var revision = Tools.CollectorRevision(repo);
        Console.WriteLine($"faults: {scenarios.Count} of {all.Count} scenario(s), seed {options.Seed}, {revision}");

        // The in-process nodes log on stderr (and Akka, while shutting down, on stdout): keep that in a file, not the terminal.
        var logPath = Path.Combine(Path.GetTempPath(), "cc-bench-faults-nodes.log");
        await using var nodeLog = TextWriter.Synchronized(new StreamWriter(logPath, append: false) { AutoFlush = true });
        var stdout = Console.Out;
        var stderr = Console.Error;
        Console.SetOut(nodeLog);
        Console.SetError(nodeLog);
        stdout.WriteLine($"faults: the in-process nodes' log goes to {logPath}");

        var clock = Stopwatch.StartNew();
        var done = 0;
        IReadOnlyList<FaultOutcome> outcomes;
        var labOptions = new FaultLabOptions
        {
            RunBound = TimeSpan.FromSeconds(options.HangSeconds),
            InProcessParallelism = options.Parallel,
            ProcessParallelism = options.ProcessParallel,
            KeepDirectories = options.Keep,
        };
        await using (var lab = await FaultLab.StartAsync(labOptions, CancellationToken.None).ConfigureAwait(false))
        {
            outcomes = await lab.RunAllAsync(scenarios, outcome =>
            {
                var n = Interlocked.Increment(ref done);
                var mark = outcome.Failed ? "FAIL" : outcome.Injected ? "ok" : "not injected";
                var line = string.Create(CultureInfo.InvariantCulture, $"[{n}/{scenarios.Count} {clock.Elapsed:mm\\:ss}] {mark} {outcome.Scenario}: {outcome.Fault}");
                lock (stdout)
                {
                    stdout.WriteLine(outcome.Failed ? line + Environment.NewLine + "    " + outcome : line);
                }
            }, CancellationToken.None).ConfigureAwait(false);
        }

        clock.Stop();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        var report = Report(options, revision, scenarios.Count, all.Count, clock.Elapsed, outcomes);
        Console.WriteLine();
        Console.WriteLine(report);
        if (options.ResultsDirectory is not null)
        {
            if (scenarios.Count != all.Count)
            {
                Console.Error.WriteLine("cc-bench faults: a filtered campaign (--kinds/--only) is not written to the results");
            }
            else
            {
                var path = Path.Combine(options.ResultsDirectory, "faults.txt");
                await File.WriteAllTextAsync(path, report).ConfigureAwait(false);
                Console.WriteLine($"written: {path}");
            }
        }

        return outcomes.Any(o => o.Failed) ? 1 : 0;
    }

    private static string Report(Options options, string revision, int ran, int planned, TimeSpan elapsed, IReadOnlyList<FaultOutcome> outcomes)
    {
        var injected = outcomes.Count(o => o.Injected);
        var text = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"fault campaign (issue 11): {ran} scenario(s) of {planned}, {injected} fault(s) injected, seed {options.Seed}")
            .AppendLine(CultureInfo.InvariantCulture, $"collector: {revision}")
            .AppendLine(CultureInfo.InvariantCulture, $"command: {options.CommandLine}")
            .AppendLine(CultureInfo.InvariantCulture, $"date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; host: {Environment.ProcessorCount} CPU; wall {elapsed:hh\\:mm\\:ss}; load average at report: {LoadAverage()}")
            .AppendLine(CultureInfo.InvariantCulture, $"bounds: a run not ended within {options.HangSeconds} s (collector once: 30 s after SIGTERM) counts as hung and is killed")
            .AppendLine()
            .AppendLine("Each scenario: a fresh mailbox on a private Dovecot with 6-24 seeded messages (1-48 KB, some to 160 KB); mirror: a clean")
            .AppendLine("first collection, then the user deletes some local copies, another client some server copies, and new mail arrives. Then")
            .AppendLine("the fault, a check point, recovery runs (collector once, or the same in-process node), and the invariant, checked against")
            .AppendLine("Dovecot's own Maildir and the destination's files: every message exactly once by Message-ID and body SHA-256 (line ends")
            .AppendLine("normalised), none deleted on the server before it was delivered, none deleted against leave-mail-on-server.")
            .AppendLine("lmtp-window: duplicates into LMTP within the README's documented window (the 250 received, the journal write lost to")
            .AppendLine("a killed process or a failed journal), at most one per interrupted session; counted apart, not as duplicates.")
            .AppendLine("not-injected: scenarios whose fault never struck (the session ended first), or harness errors (listed below).")
            .AppendLine()
            .Append(FaultTable.Render(outcomes))
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"reproduce: sudo bash bench/faults.sh --faults {options.Faults} --seed {options.Seed}")
            .AppendLine(CultureInfo.InvariantCulture, $"one scenario: sudo bash bench/faults.sh --faults {options.Faults} --seed {options.Seed} --only INDEX   (no results written)");
        return text.ToString();
    }

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

    // Uncommitted changes anywhere but bench/results (the report this run replaces).
    private static List<string> Uncommitted(string? repo)
    {
        if (repo is null)
        {
            return ["(not inside the repository: the commit cannot be told)"];
        }

        var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "-c", "safe.directory=" + repo, "-C", repo, "status", "--porcelain", "--untracked-files=normal" })
        {
            info.ArgumentList.Add(a);
        }

        using var git = Process.Start(info)!;
        var output = git.StandardOutput.ReadToEnd();
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        if (git.ExitCode != 0)
        {
            return [$"(git status failed: {error.Trim()})"];
        }

        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Length > 3 ? l[3..] : l)
            .Where(p => !p.StartsWith("bench/results/", StringComparison.Ordinal))];
    }
}
