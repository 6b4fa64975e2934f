using System.Globalization;
using System.Text;

namespace CollectorCluster.Bench;

/// <summary>
/// Turns the samples of <see cref="Peers"/> into <c>bench/RESULTS.md</c>: a table per scenario (medians over the
/// valid rounds, ratio to the best peer), the issue's goals met or not with where the collector's time goes, and
/// the profile summary kept in <c>bench/profile.md</c> (read when the run started).
/// </summary>
internal static class PeersReport
{
    private const string Collector = "collector once";
    private const string Check = "collector check";
    private const string Daemon = "collector run (daemon)";
    private static readonly string[] PeerTools = ["mpop", "fetchmail (MDA)", "fetchmail (BSMTP)", "getmail6"];

    public static string Write(Options options, string revision, List<string> environment, List<Peers.Scenario> scenarios, List<Peers.PeerSample> samples, string? profile)
    {
        var md = new StringBuilder();
        void Say(string line = "") => md.Append(line).Append('\n');
        Say("# Collector beside its peers (issue 14)");
        Say();
        Say("Written by `bash bench/peers.sh` (`cc-bench peers`); do not edit by hand. Every figure is a whole process, start to exit:");
        Say("wall time (a Stopwatch around the child), CPU = user + system of the process and the children it waited for,");
        Say("peak RSS = GNU time's `%M` (the largest single process). Medians over the valid rounds; `÷ best peer` divides by the");
        Say("fastest of mpop, fetchmail (MDA), fetchmail (BSMTP) and getmail6 in that scenario. `Dovecot CPU` is the server's CPU");
        Say("during the run. One interleaved run: each round runs every scenario, each scenario's tools in an order rotated per round.");
        Say();
        Say($"- date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC; {revision}");
        Say($"- command: `{options.CommandLine}`");
        foreach (var line in environment)
        {
            Say("- " + line);
        }

        Say("- tools: every tool leaves mail on the server (except delete mode), delivers into a Maildir it fsyncs where it can");
        Say("  (mpop, getmail6, the collector, the raw client; fetchmail's MDA is `cat > tmp/m$$ && mv` without fsync; BSMTP appends");
        Say("  every message to one file, a lower bound for fetchmail). The raw client (`bench/raw-pop3.py`) is one connection per");
        Say("  account, one command at a time, files fsync'd, the UIDL state file rewritten and fsync'd per account.");
        Say();

        var medians = new Dictionary<(string Scenario, string Tool), Row>();
        foreach (var scenario in scenarios)
        {
            Say($"## {scenario.Id}: {scenario.Title}");
            Say();
            var rows = scenario.Tools.Select(t => Row.Of(samples.Where(s => s.Scenario == scenario.Id && s.Tool == t).ToList(), t)).ToList();
            foreach (var r in rows)
            {
                medians[(scenario.Id, r.Tool)] = r;
            }

            var best = rows.Where(r => PeerTools.Contains(r.Tool) && r.Wall is not null).MinBy(r => r.Wall);
            Say("| tool | wall s | rounds (wall s) | CPU s | peak RSS MiB | Dovecot CPU s | ÷ best peer | valid |");
            Say("|---|---:|---|---:|---:|---:|---:|---|");
            foreach (var r in rows)
            {
                var ratio = best?.Wall is { } b && r.Wall is { } w ? (w / b).ToString("F2", CultureInfo.InvariantCulture) + "×" : "-";
                Say($"| {r.Tool}{(r == best ? " (best peer)" : "")} | {F(r.Wall, "F3")} | {r.Rounds} | {F(r.Cpu, "F2")} | {F(r.Rss, "F1")} | {F(r.Dovecot, "F2")} | {ratio} | {r.Valid}/{r.Samples.Count} |");
            }

            var invalid = rows.SelectMany(r => r.Samples).Where(s => !s.Valid).ToList();
            foreach (var s in invalid)
            {
                Say();
                Say($"INVALID (excluded from the median): round {s.Round} {s.Tool}: {s.Detail}");
            }

            Say();
        }

        WriteGoals(Say, medians);
        if (profile is not null)
        {
            Say();
            Say(profile.TrimEnd());
        }

        return md.ToString();
    }

    private static void WriteGoals(Action<string> say, Dictionary<(string Scenario, string Tool), Row> m)
    {
        double? Wall(string scenario, string tool) => m.TryGetValue((scenario, tool), out var r) ? r.Wall : null;
        double? Ratio(string scenario, string tool, string over) => Wall(scenario, tool) is { } a && Wall(scenario, over) is { } b ? a / b : null;

        var rss = m.TryGetValue(("mixed-1000", Collector), out var mixed) ? mixed.Rss : null;
        var goals = new List<(string Goal, string Measured, bool? Met, string Where)>
        {
            Goal("1,000 messages durable ≤ 1.0× mpop", Ratio("mixed-1000", Collector, "mpop"), 1.0, "× mpop", Where(m, "mixed-1000")),
            Goal("5,000 first collection ≤ 0.7× mpop", Ratio("first-5000", Collector, "mpop"), 0.7, "× mpop", Where(m, "first-5000")),
            Goal("5,000 seen, nothing new, whole `once` ≤ 2× mpop", Ratio("seen-5000", Collector, "mpop"), 2.0, "× mpop", Where(m, "seen-5000")),
            Goal("5,000 seen + 10 new, whole `once` ≤ 2× mpop", Ratio("new-10", Collector, "mpop"), 2.0, "× mpop", Where(m, "new-10")),
            DaemonGoal(m),
            Goal("200 × 5 (cap 10) faster than the raw sequential client", Ratio("accounts-200x5", Collector, "raw client"), 1.0, "× raw", Where(m, "accounts-200x5")),
            Goal("200 × 5 (cap 10) ≥ 1.5× faster than fetchmail-BSMTP", Ratio("accounts-200x5", Collector, "fetchmail (BSMTP)"), 1 / 1.5, "× fetchmail-BSMTP", Where(m, "accounts-200x5")),
            (
                "peak RSS of `once` on 1,000 messages ≤ 80 MB",
                rss is { } v ? v.ToString("F1", CultureInfo.InvariantCulture) + " MiB" : "-",
                rss is { } x ? x <= 80 : null,
                "the .NET runtime, the actor system and hosting, loaded assemblies and the GC heap (Server GC off); see the profile"),
        };

        say("## Goals of issue 14");
        say("");
        say("| goal | measured | met? | where the collector's time goes (when not met) |");
        say("|---|---|---|---|");
        foreach (var (goal, measured, met, where) in goals)
        {
            say($"| {goal} | {measured} | {(met is null ? "not measured" : met.Value ? "**met**" : "not met")} | {(met == true ? "" : where)} |");
        }

        static (string, string, bool?, string) Goal(string goal, double? ratio, double limit, string unit, string where) =>
            (goal, ratio is { } r ? r.ToString("F2", CultureInfo.InvariantCulture) + unit : "-", ratio is { } q ? q <= limit : null, where);
    }

    /// <summary>daemon-10: the session's median wall as the collector's own metric counts it, against 20 ms.</summary>
    private static (string, string, bool?, string) DaemonGoal(Dictionary<(string Scenario, string Tool), Row> m)
    {
        const string Goal = "inside a running daemon, incremental check of 5,000 seen + 10 new ≤ 20 ms";
        if (!m.TryGetValue(("daemon-10", Daemon), out var d) || d.Wall is not { } wall)
        {
            return (Goal, "-", null, "daemon-10 did not run");
        }

        var where = $"session wall {wall * 1000:F1} ms, CPU {(d.Cpu is { } c ? $"{c * 1000:F1} ms" : "-")} (the collector's collector.session.duration and collector.session.cpu; "
            + "from the account's session start to its end: lease, connect and login, UIDL and LIST of 5,010, the 10 RETR, Maildir fsyncs, journal writes, QUIT)";
        return (Goal, $"{wall * 1000:F1} ms (CPU {(d.Cpu is { } cpu ? $"{cpu * 1000:F1} ms" : "-")})", wall <= 0.020, where);
    }

    /// <summary>The collector's wall split by its own figures: start + config (`collector check`), session, the rest.</summary>
    private static string Where(Dictionary<(string Scenario, string Tool), Row> m, string scenario)
    {
        if (!m.TryGetValue((scenario, Collector), out var c) || c.Wall is not { } wall)
        {
            return "-";
        }

        var parts = new List<string> { $"wall {wall:F2}s, CPU {F(c.Cpu, "F2")}s" };
        if (m.TryGetValue(("mixed-1000", Check), out var check) && check.Wall is { } start)
        {
            parts.Add($"process start + config parse {start:F2}s (`collector check`)");
            if (c.Session is { } session)
            {
                parts.Add($"POP3 session as the collector times it (connect to QUIT, incl. Maildir fsyncs and journal) {session:F2}s");
                parts.Add($"host/actor system/journal start and stop, first account start {Math.Max(0, wall - start - session):F2}s");
            }
        }

        if (m.TryGetValue((scenario, "mpop"), out var mpop) && mpop.Wall is { } mw)
        {
            parts.Add($"mpop: wall {mw:F2}s, CPU {F(mpop.Cpu, "F2")}s");
        }

        if (c.Dovecot is { } d && c.Cpu is { } cpu && scenario == "accounts-200x5")
        {
            parts.Add($"collector CPU + Dovecot CPU = {cpu + d:F2}s on 2 cores: bound by its own CPU per session");
        }

        return string.Join("; ", parts);
    }

    private static string F(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>Medians of one tool's valid samples in one scenario.</summary>
    private sealed record Row(string Tool, List<Peers.PeerSample> Samples, double? Wall, double? Cpu, double? Rss, double? Dovecot, double? Session, int Valid, string Rounds)
    {
        public static Row Of(List<Peers.PeerSample> samples, string tool)
        {
            var valid = samples.Where(s => s.Valid).ToList();
            return new Row(
                tool,
                samples,
                Median(valid.Select(s => s.WallSeconds)),
                Median(valid.Where(s => s.CpuSeconds is not null).Select(s => s.CpuSeconds!.Value)),
                Median(valid.Select(s => s.PeakRssMiB)),
                Median(valid.Select(s => s.DovecotCpuSeconds).Where(double.IsFinite)),
                Median(valid.Where(s => s.SessionSeconds is not null).Select(s => s.SessionSeconds!.Value)),
                valid.Count,
                string.Join(" ", samples.OrderBy(s => s.Round).Select(s => s.WallSeconds.ToString("F3", CultureInfo.InvariantCulture) + (s.Valid ? "" : "!"))));
        }

        private static double? Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count == 0 ? null : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }
}
