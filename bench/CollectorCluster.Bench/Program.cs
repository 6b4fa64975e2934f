using System.Globalization;

[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace CollectorCluster.Bench;

/// <summary>
/// <c>cc-bench collect-1000 [options]</c>: collector vs mpop on 1,000 mixed-size messages from a private Dovecot.
/// <c>cc-bench tokens-200x5 [options]</c>: 200 accounts × 5 messages: collector (connection tokens, cap 10) vs fetchmail and mpop.
/// <c>cc-bench quickstart [options]</c>: the README's quick start (private Dovecot, 5 messages, collector once twice).
/// <c>cc-bench readme-captures --readme FILE</c>: reruns every output the README shows and rewrites its capture blocks.
/// <c>cc-bench faults [options]</c>: the fault campaign (issue 11): seeded faults of every kind, the invariant after each.
/// <c>cc-bench peers [options]</c>: the collector beside a raw client, mpop, fetchmail and getmail6 (issue 14): bench/RESULTS.md.
/// </summary>
public static class Program
{
    private const string Usage = """
        usage: cc-bench collect-1000 [--rounds N] [--count N] [--results DIR] [--collector PATH] [--mpop PATH] [--keep]
               cc-bench tokens-200x5 [--accounts N] [--per-account N] [--max-clients N] [--results DIR] [--collector PATH] [--mpop PATH] [--fetchmail PATH] [--keep]
               cc-bench quickstart   [--dir DIR] [--collector PATH]
               cc-bench scale-10k    [--accounts N] [--check-every 2m] [--steady 12m] [--sleep-min-idle 5m|off] [--max-clients N] [--results DIR] [--keep]
               cc-bench readme-captures --readme README.md [--dir DIR] [--collector PATH] [--collectorctl DLL]
               cc-bench peers        [--rounds N] [--scenarios ID,ID] [--tools T,T] [--results-file FILE] [--collector PATH] [--trace DIR] [--keep]
               cc-bench faults       [--faults N] [--seed S] [--kinds K,K] [--only I,I] [--parallel N] [--process-parallel N] [--hang-seconds N] [--results DIR] [--keep]

          --rounds N        measured rounds per tool; the median is reported (default 3; peers: 5)
          --count N         messages in the mailbox (default 1000; 1 KB to 200 KB, log-uniform)
          --results DIR     where collect-1000.json and collect-1000.txt are written (default: no files)
          --collector PATH  the collector apphost (default: Node's Release output beside this tool's output)
          --mpop PATH       mpop binary (default /usr/bin/mpop)
          --keep            keep the temp directories of the last round
          --accounts N      tokens-200x5: mailboxes (default 200)
          --per-account N   tokens-200x5: messages per mailbox (default 5)
          --max-clients N   tokens-200x5: collector's max-pop3-clients (default 10)
          --fetchmail PATH  fetchmail binary (default /usr/bin/fetchmail)
          --dir DIR         quickstart / readme-captures directory (default /tmp/collector-quickstart,
                            /tmp/collector-readme; recreated)
          --check-every D   scale-10k: the accounts' interval (default 2m)
          --steady D        scale-10k: the measured window after every account is scheduled (default 12m)
          --readme FILE     readme-captures: the README whose <!-- capture:NAME --> blocks are rewritten
          --collectorctl DLL  readme-captures: collectorctl.dll (default: the copy beside cc-bench)
          --faults N        faults: scenarios in the campaign (default 1000)
          --seed S          faults: the campaign's seed (default 1); the same N and S give the same scenarios
          --kinds K,K       faults: run only these kinds (after-greeting, mid-retr, kill-9-run, ...); nothing is written
          --only I,I        faults: run only these scenario indexes; nothing is written
          --parallel N      faults: scenarios on the shared in-process node at once (default 3)
          --process-parallel N  faults: scenarios running a collector process at once (default 6)
          --hang-seconds N  faults: a run not ended within N s counts as hung (default 60)
          --scenarios ID,ID peers: only these scenarios (mixed-1000, first-5000, seen-5000, new-10, accounts-200x5,
                            delete-1000, bulk-5000; seen-5000 and new-10 need first-5000 before them)
          --tools T,T       peers: only the tools whose names start so (raw, mpop, fetchmail, getmail, collector)
          --results-file F  peers: where the Markdown report goes (default /tmp/cc-peers-RESULTS.md)
          --getmail PATH    peers: getmail6 (default /usr/bin/getmail); --python PATH: the raw client's python3
          --trace DIR       peers: run `collector once` under dotnet-trace, traces in DIR (bash bench/profile.sh);
                            --dotnet-trace PATH: the tool (default: dotnet-trace on PATH)
        """;

    /// <summary>Entry point: 0 ok, 1 a measured run was invalid or failed, 2 usage error.</summary>
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] == "scale-node" && args.Length == 5 && args[1] == "--config" && args[3] == "--report")
        {
            return await ScaleNode.RunAsync(args[2], args[4]).ConfigureAwait(false); // scale-10k's child: the node itself
        }

        try
        {
            var options = Options.Parse(args.Skip(1).ToArray());
            return args[0] switch
            {
                "collect-1000" => await Collect1000.RunAsync(options).ConfigureAwait(false),
                "quickstart" => await Quickstart.RunAsync(options).ConfigureAwait(false),
                "tokens-200x5" => await Tokens200.RunAsync(options).ConfigureAwait(false),
                "scale-10k" => await Scale10k.RunAsync(options).ConfigureAwait(false),
                "readme-captures" => await ReadmeCaptures.RunAsync(options).ConfigureAwait(false),
                "faults" => await Faults.RunAsync(options).ConfigureAwait(false),
                "peers" => await Peers.RunAsync(options).ConfigureAwait(false),
                _ => throw new ArgumentException($"unknown verb '{args[0]}'"),
            };
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine("cc-bench: " + e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }
}

/// <summary>Command-line options shared by the verbs.</summary>
public sealed class Options
{
    public int Rounds { get; private set; } = 3;

    /// <summary>Whether --rounds was given (peers defaults to 5 rounds, the others to 3).</summary>
    public bool RoundsGiven { get; private set; }

    /// <summary>peers: the scenarios to run (empty: all).</summary>
    public HashSet<string> Scenarios { get; } = new(StringComparer.Ordinal);

    /// <summary>peers: only the tools whose names start with one of these (empty: all); for profiling and trials.</summary>
    public HashSet<string> Tools { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>peers: the Markdown report.</summary>
    public string? ResultsFile { get; private set; }

    public string Getmail { get; private set; } = "/usr/bin/getmail";

    public string Python { get; private set; } = "/usr/bin/python3";

    /// <summary>peers --trace DIR: every `collector once` run under dotnet-trace, its trace written there.</summary>
    public string? TraceDirectory { get; private set; }

    public string DotnetTrace { get; private set; } = "dotnet-trace";

    public int Count { get; private set; } = 1000;

    public string? ResultsDirectory { get; private set; }

    public string? Collector { get; private set; }

    public string Mpop { get; private set; } = "/usr/bin/mpop";

    public bool Keep { get; private set; }

    public int Accounts { get; private set; } = 200;

    public int PerAccount { get; private set; } = 5;

    public int MaxClients { get; private set; } = 10;

    /// <summary>True when --accounts was given (scale-10k's default differs from tokens-200x5's).</summary>
    public bool AccountsGiven { get; private set; }

    public TimeSpan CheckEvery { get; private set; } = TimeSpan.FromMinutes(2);

    public TimeSpan Steady { get; private set; } = TimeSpan.FromMinutes(12);

    /// <summary>
    /// scale-10k: collector.sleep on with this min-idle (the shipped 5m by default: at the compressed check-every 2m
    /// no account sleeps, at 10m they do); null (--sleep-min-idle off): sleep off.
    /// </summary>
    public TimeSpan? SleepMinIdle { get; private set; } = TimeSpan.FromMinutes(5);

    /// <summary>scale-10k: sqlite (default) or postgresql (a private server).</summary>
    public string Journal { get; private set; } = "sqlite";

    public string Fetchmail { get; private set; } = "/usr/bin/fetchmail";

    /// <summary>quickstart / readme-captures: the working directory (recreated); null: the verb's default.</summary>
    public string? Directory { get; private set; }

    /// <summary>readme-captures: the README whose capture blocks are rewritten.</summary>
    public string? Readme { get; private set; }

    /// <summary>readme-captures: collectorctl.dll (default: the copy beside this tool).</summary>
    public string? CollectorCtl { get; private set; }

    public int Faults { get; private set; } = 1000;

    public int Seed { get; private set; } = 1;

    public HashSet<Testing.Faults.FaultKind> Kinds { get; } = [];

    public HashSet<int> Only { get; } = [];

    public int Parallel { get; private set; } = 3;

    public int ProcessParallel { get; private set; } = 6;

    public int HangSeconds { get; private set; } = 60;

    /// <summary>The original command line, for the report.</summary>
    public string CommandLine { get; private set; } = "";

    public static Options Parse(string[] args)
    {
        var invoked = Environment.GetEnvironmentVariable("CC_BENCH_COMMAND"); // set by bench/run.sh
        var own = "cc-bench " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1));
        var o = new Options { CommandLine = string.IsNullOrEmpty(invoked) ? own : $"{invoked}  (runs: {own})" };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--rounds": o.Rounds = PositiveInt(Next(), "--rounds"); o.RoundsGiven = true; break;
                case "--scenarios": o.Scenarios.UnionWith(Next().Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                case "--tools": o.Tools.UnionWith(Next().Split(',', StringSplitOptions.RemoveEmptyEntries)); break;
                case "--results-file": o.ResultsFile = Path.GetFullPath(Next()); break;
                case "--getmail": o.Getmail = Next(); break;
                case "--python": o.Python = Next(); break;
                case "--trace": o.TraceDirectory = Path.GetFullPath(Next()); break;
                case "--dotnet-trace": o.DotnetTrace = Next(); break;
                case "--count": o.Count = PositiveInt(Next(), "--count"); break;
                case "--results": o.ResultsDirectory = Path.GetFullPath(Next()); break;
                case "--collector": o.Collector = Path.GetFullPath(Next()); break;
                case "--mpop": o.Mpop = Next(); break;
                case "--keep": o.Keep = true; break;
                case "--accounts": o.Accounts = PositiveInt(Next(), "--accounts"); o.AccountsGiven = true; break;
                case "--check-every": o.CheckEvery = Duration(Next(), "--check-every"); break;
                case "--steady": o.Steady = Duration(Next(), "--steady"); break;
                case "--sleep-min-idle":
                    var minIdle = Next();
                    o.SleepMinIdle = minIdle is "off" ? null : Duration(minIdle, "--sleep-min-idle");
                    break;
                case "--journal":
                    o.Journal = Next();
                    _ = o.Journal is "sqlite" or "postgresql" ? o.Journal : throw new ArgumentException("--journal is sqlite or postgresql");
                    break;
                case "--per-account": o.PerAccount = PositiveInt(Next(), "--per-account"); break;
                case "--max-clients": o.MaxClients = PositiveInt(Next(), "--max-clients"); break;
                case "--fetchmail": o.Fetchmail = Next(); break;
                case "--dir": o.Directory = Path.GetFullPath(Next()); break;
                case "--readme": o.Readme = Path.GetFullPath(Next()); break;
                case "--collectorctl": o.CollectorCtl = Path.GetFullPath(Next()); break;
                case "--faults": o.Faults = PositiveInt(Next(), "--faults"); break;
                case "--seed": o.Seed = PositiveInt(Next(), "--seed"); break;
                case "--kinds": o.Kinds.UnionWith(Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Testing.Faults.FaultKinds.Parse)); break;
                case "--only": o.Only.UnionWith(Next().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(v => NonNegativeInt(v, "--only"))); break;
                case "--parallel": o.Parallel = PositiveInt(Next(), "--parallel"); break;
                case "--process-parallel": o.ProcessParallel = PositiveInt(Next(), "--process-parallel"); break;
                case "--hang-seconds": o.HangSeconds = PositiveInt(Next(), "--hang-seconds"); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }

        return o;
    }

    private static TimeSpan Duration(string value, string name)
    {
        var unit = value[^1];
        var number = double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : -1;
        return (unit, number) switch
        {
            (_, <= 0) => throw new ArgumentException($"{name}: '{value}' is not a duration (90s, 2m, 1h)"),
            ('s', _) => TimeSpan.FromSeconds(number),
            ('m', _) => TimeSpan.FromMinutes(number),
            ('h', _) => TimeSpan.FromHours(number),
            _ => throw new ArgumentException($"{name}: '{value}' is not a duration (90s, 2m, 1h)"),
        };
    }
    private static int NonNegativeInt(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : throw new ArgumentException($"{name} takes non-negative integers, not '{value}'");

    private static int PositiveInt(string value, string name) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{name} must be a positive integer, not '{value}'");
}
