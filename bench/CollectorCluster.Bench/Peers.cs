using System.Diagnostics;
using System.Globalization;
using System.Text;
using CollectorCluster.Testing;

namespace CollectorCluster.Bench;

/// <summary>
/// peers (issue 14): <c>collector once</c> beside a raw sequential client, mpop, fetchmail (MDA and BSMTP) and
/// getmail6 on one private Dovecot, in one run of interleaved rounds (each round runs every scenario, the tools of a
/// scenario in an order that rotates per round), so the ratios compare tools under the same machine load. Every run
/// is checked: exactly the Message-IDs the scenario expects, each once; in delete mode the server mailbox is empty.
/// Writes <c>bench/RESULTS.md</c> (medians, ratios to the best peer, CPU, peak RSS, the goals met or not).
/// daemon-10 measures inside a running <c>collector run</c> instead (<see cref="PeersDaemon"/>): the incremental
/// check's session by the collector's own metrics.
/// </summary>
public static class Peers
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    private const string Raw = "raw client";
    private const string RawNoFsync = "raw client, no fsync";
    private const string Mpop = "mpop";
    private const string FetchmailMda = "fetchmail (MDA)";
    private const string FetchmailBsmtp = "fetchmail (BSMTP)";
    private const string Getmail = "getmail6";
    private const string Collector = "collector once";
    private const string CollectorTls = "collector once, POP3S";
    private const string CollectorCheck = "collector check";
    private const string Daemon = "collector run (daemon)";

    public static async Task<int> RunAsync(Options options)
    {
        var collector = Tools.FindCollector(options);
        var repo = Tokens200.FindRepo() ?? throw new ArgumentException("run from the repository (bench/peers.sh does)");
        var rawClient = Path.Combine(repo, "bench", "raw-pop3.py");
        foreach (var tool in new[] { options.Mpop, options.Fetchmail, options.Getmail, options.Python, rawClient, Path.Combine(repo, "bench", "getmail-run.py") })
        {
            if (!File.Exists(tool))
            {
                throw new ArgumentException($"{tool} not found (bash scripts/install-test-deps.sh installs mpop, fetchmail and getmail6)");
            }
        }

        Collect1000.EnsureSbin();
        var rounds = options.RoundsGiven ? options.Rounds : 5;
        var loadAtStart = Tokens200.LoadAverage();
        var revision = Tools.CollectorRevision(repo); // what was built and is measured, whatever is committed meanwhile
        var profilePath = Path.Combine(repo, "bench", "profile.md");
        var profile = File.Exists(profilePath) ? await File.ReadAllTextAsync(profilePath).ConfigureAwait(false) : null;
        var clock = Stopwatch.StartNew();
        Console.WriteLine("peers: starting a private Dovecot and filling the mailboxes...");
        await using var server = await DovecotServer.StartAsync().ConfigureAwait(false);
        var lab = new Lab(options, server, collector, rawClient);
        var scenarios = await lab.CreateScenariosAsync().ConfigureAwait(false);
        if (options.Scenarios.Count > 0)
        {
            scenarios = scenarios.Where(s => options.Scenarios.Contains(s.Id)).ToList();
        }

        Console.WriteLine($"mailboxes ready in {clock.Elapsed.TotalSeconds:F0}s; {server}");
        var samples = new List<PeerSample>();
        var target = options.ResultsFile ?? Path.Combine(Path.GetTempPath(), "cc-peers-RESULTS.md");
        var report = "";
        var loads = new List<string>();
        try
        {
            // Warm-up (not measured): Dovecot builds every mailbox's index and UIDL cache, the files enter the page cache.
            foreach (var s in scenarios.Where(s => !s.Delete && !s.Tools.Contains(Daemon)))
            {
                var warm = await lab.RunOneAsync(s, RawNoFsync, 0).ConfigureAwait(false);
                Console.WriteLine($"warm-up {s.Id} (raw client without fsync, not measured): {warm.WallSeconds:F2}s {warm.Detail}");
            }

            lab.ForgetState();
            for (var round = 1; round <= rounds; round++)
            {
                loads.Add(Tokens200.LoadAverage());
                foreach (var scenario in scenarios)
                {
                    var shift = round % scenario.Tools.Count;
                    foreach (var tool in scenario.Tools.Skip(shift).Concat(scenario.Tools.Take(shift)))
                    {
                        if (options.Tools.Count > 0 && !options.Tools.Any(t => tool.StartsWith(t, StringComparison.OrdinalIgnoreCase)))
                        {
                            continue;
                        }

                        var sample = await lab.RunOneAsync(scenario, tool, round).ConfigureAwait(false);
                        samples.Add(sample);
                        Console.WriteLine($"round {round} {scenario.Id,-14} {tool,-22} {sample.WallSeconds,7:F3}s cpu {Fmt(sample.CpuSeconds, "F2")} rss {sample.PeakRssMiB,6:F1} MiB {(sample.Valid ? "ok" : "INVALID")}: {sample.Detail}");
                    }

                    if (scenario.EndsStateGroup)
                    {
                        lab.ForgetState();
                    }
                }

                // After every round: a run stopped early still leaves its finished rounds, labelled as partial.
                report = PeersReport.Write(options, revision, lab.Describe(round, rounds, loadAtStart, loads, clock.Elapsed), scenarios, samples, profile);
                await File.WriteAllTextAsync(target, report).ConfigureAwait(false);
                Console.WriteLine($"wrote {target} ({round} of {rounds} rounds)");
            }
        }
        finally
        {
            lab.Dispose();
        }

        Console.WriteLine();
        Console.WriteLine(report);
        return samples.All(s => s.Valid) ? 0 : 1;
    }

    private static string Fmt(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "-";

    /// <summary>One scenario: its mailboxes, the tools that run it, what each run must deliver.</summary>
    internal sealed class Scenario
    {
        public required string Id { get; init; }

        public required string Title { get; init; }

        public required IReadOnlyList<string> Tools { get; init; }

        public required IReadOnlyList<TestMailUser> Users { get; init; }

        /// <summary>Client state shared by the scenarios with the same key within a round (first, seen, +10 new).</summary>
        public required string StateKey { get; init; }

        /// <summary>Forget every tool's state after this scenario (the last of its state group).</summary>
        public bool EndsStateGroup { get; init; } = true;

        public bool Delete { get; init; }

        public bool Tls { get; init; }

        public int MaxClients { get; init; } = 10;

        /// <summary>Before each run: prepares the server, returns the Message-IDs the run must deliver.</summary>
        public required Func<int, string, HashSet<string>> Before { get; init; }

        /// <summary>After each run: puts the server back as the next run expects it.</summary>
        public Action After { get; init; } = () => { };
    }

    /// <summary>One measured run.</summary>
    internal sealed record PeerSample(string Scenario, string Tool, int Round, double WallSeconds, double? CpuSeconds, double PeakRssMiB, double DovecotCpuSeconds, bool Valid, string Detail)
    {
        /// <summary>The collector's own session time (its per-account line), single-account scenarios only.</summary>
        public double? SessionSeconds { get; init; }
    }

    /// <summary>The server, the mailboxes, each tool's configuration and state.</summary>
    internal sealed class Lab(Options options, DovecotServer server, string collector, string rawClient) : IDisposable
    {
        private readonly string _getmailLauncher = Path.Combine(Path.GetDirectoryName(rawClient)!, "getmail-run.py");
        private readonly string _work = OpenToAll(Directory.CreateTempSubdirectory("cc-bench-peers-").FullName);
        private readonly List<string> _dropped = [];
        private string _stateRoot = "";
        private int _generation;
        private int _traced;
        private PeersDaemon? _daemon;

        public async Task<List<Scenario>> CreateScenariosAsync()
        {
            ForgetState();
            var all = new[] { Raw, Mpop, FetchmailMda, FetchmailBsmtp, Getmail, Collector };
            var scenarios = new List<Scenario>();

            // 1,000 mixed sizes (1 KB-200 KB, log-uniform, every body with dot-stuffed lines), durable into a Maildir.
            var mixed = await server.CreateUserAsync("mixed").ConfigureAwait(false);
            var mixedIds = Drop(mixed, MessageFactory.CreateMixedSet(1000));
            scenarios.Add(new Scenario
            {
                Id = "mixed-1000",
                Title = "1,000 mixed messages (1 KB-200 KB), durable into a Maildir, first collection",
                Tools = [Raw, RawNoFsync, Mpop, FetchmailMda, FetchmailBsmtp, Getmail, Collector, CollectorTls, CollectorCheck],
                Users = [mixed],
                StateKey = "mixed",
                Before = (_, _) => mixedIds,
            });

            // 5,000 small messages (2-20 KB): first collection, then nothing new, then 10 new (removed again after).
            var inbox = await server.CreateUserAsync("inbox").ConfigureAwait(false);
            var smallIds = Drop(inbox, Enumerable.Range(0, 5000).Select(i => MessageFactory.Create(2048 + (i * 7919 % 18432), 100_000 + i)));
            scenarios.Add(new Scenario { Id = "first-5000", Title = "5,000 messages (2-20 KB), first collection", Tools = all, Users = [inbox], StateKey = "inbox", EndsStateGroup = false, Before = (_, _) => smallIds });
            scenarios.Add(new Scenario { Id = "seen-5000", Title = "5,000 seen, nothing new (same client state)", Tools = all, Users = [inbox], StateKey = "inbox", EndsStateGroup = false, Before = (_, _) => [] });
            scenarios.Add(new Scenario
            {
                Id = "new-10",
                Title = "5,000 seen + 10 new (same client state; the 10 are removed from the server after each run)",
                Tools = all,
                Users = [inbox],
                StateKey = "inbox",
                Before = (round, tool) =>
                {
                    var seed = 200_000 + (round * 1000) + (Array.IndexOf(all, tool) * 10);
                    return Drop(inbox, Enumerable.Range(0, 10).Select(i => MessageFactory.Create(4096 + (i * 997), seed + i)), remember: true);
                },
                After = RemoveDropped,
            });

            // The same mailbox inside a running daemon: its first collection (the 5,000) at start, then per round 10 new
            // and a check asked for with collectorctl, timed by the collector's own session metrics.
            scenarios.Add(new Scenario
            {
                Id = "daemon-10",
                Title = "inside a running `collector run`: 5,000 seen + 10 new, a check asked for with `collectorctl collector collect`; "
                    + "wall and CPU are the session's as the collector's own /metrics count them (collector.session.duration, collector.session.cpu), "
                    + "RSS the daemon's resident set; the 10 are removed from the server after each run",
                Tools = [Daemon],
                Users = [inbox],
                StateKey = "daemon",
                Before = (round, _) => Drop(inbox, Enumerable.Range(0, 10).Select(i => MessageFactory.Create(4096 + (i * 997), 400_000 + (round * 10) + i)), remember: true),
                After = RemoveDropped,
            });

            // 200 accounts x 5 messages, the collector with max-pop3-clients = 10; the raw client one account after another.
            var users = new List<TestMailUser>();
            var manyIds = new HashSet<string>(StringComparer.Ordinal);
            for (var a = 0; a < 200; a++)
            {
                var user = await server.CreateUserAsync("t" + a.ToString("D3", CultureInfo.InvariantCulture)).ConfigureAwait(false);
                users.Add(user);
                manyIds.UnionWith(Drop(user, Enumerable.Range(0, 5).Select(m => MessageFactory.Create(2048 + (((a * 7919) + (m * 104729)) % 18432), (a * 100) + m))));
            }

            scenarios.Add(new Scenario { Id = "accounts-200x5", Title = "200 accounts x 5 messages (2-20 KB); collector max-pop3-clients = 10", Tools = all, Users = users, StateKey = "accounts", Before = (_, _) => manyIds });

            // Delete mode: 1,000 small messages dropped before each run; after it the server mailbox must be empty.
            var deleted = await server.CreateUserAsync("del").ConfigureAwait(false);
            var deleteSet = Enumerable.Range(0, 1000).Select(i => MessageFactory.Create(2048 + (i * 7919 % 18432), 300_000 + i)).ToList();
            scenarios.Add(new Scenario
            {
                Id = "delete-1000",
                Title = "1,000 messages (2-20 KB), delete mode (each run starts from a full mailbox, must leave it empty)",
                Tools = all,
                Users = [deleted],
                StateKey = "delete",
                Delete = true,
                Before = (_, _) =>
                {
                    EmptyMailbox(deleted.Name);
                    return Drop(deleted, deleteSet);
                },
            });

            // 5,000 bulk: mixed sizes again (about 195 MB): throughput, dominated by bytes rather than by commands.
            var bulk = await server.CreateUserAsync("bulk").ConfigureAwait(false);
            var bulkIds = Drop(bulk, MessageFactory.CreateMixedSet(5000, seed: 5));
            scenarios.Add(new Scenario { Id = "bulk-5000", Title = "5,000 mixed messages (1 KB-200 KB), first collection", Tools = all, Users = [bulk], StateKey = "bulk", Before = (_, _) => bulkIds });
            return scenarios;
        }

        /// <summary>Every tool starts the next scenario group from fresh client state.</summary>
        public void ForgetState()
        {
            if (_stateRoot.Length > 0 && !options.Keep)
            {
                Tools.TryDelete(_stateRoot);
            }

            _stateRoot = Path.Combine(_work, "state-" + (++_generation).ToString(CultureInfo.InvariantCulture));
        }

        public async Task<PeerSample> RunOneAsync(Scenario scenario, string tool, int round)
        {
            if (tool == Daemon)
            {
                return await RunDaemonAsync(scenario, round).ConfigureAwait(false);
            }

            var state = Path.Combine(_stateRoot, scenario.StateKey, Slug(tool));
            Directory.CreateDirectory(state);
            var maildir = Path.Combine(state, "maildir");
            Tools.CreateMaildir(maildir);
            var bsmtp = Path.Combine(state, "out.bsmtp");
            var expected = scenario.Before(round, tool);
            var filesBefore = MaildirFiles(maildir);
            var bsmtpBefore = File.Exists(bsmtp) ? new FileInfo(bsmtp).Length : 0;
            var dovecotBefore = Tokens200.DovecotCpuSeconds(server);
            Measured run;
            try
            {
                run = tool switch
                {
                    Raw or RawNoFsync => await RunRawAsync(scenario, state, maildir, fsync: tool == Raw).ConfigureAwait(false),
                    Mpop => await RunMpopAsync(scenario, state, maildir).ConfigureAwait(false),
                    FetchmailMda or FetchmailBsmtp => await RunFetchmailAsync(scenario, state, maildir, tool == FetchmailBsmtp ? bsmtp : null).ConfigureAwait(false),
                    Getmail => await RunGetmailAsync(scenario, state, maildir).ConfigureAwait(false),
                    Collector or CollectorTls or CollectorCheck => await RunCollectorAsync(scenario, state, maildir, tool).ConfigureAwait(false),
                    _ => throw new InvalidOperationException(tool),
                };
            }
            catch (TimeoutException e)
            {
                scenario.After();
                return new PeerSample(scenario.Id, tool, round, RunTimeout.TotalSeconds, null, 0, 0, false, e.Message);
            }

            var dovecotCpu = Tokens200.DovecotCpuSeconds(server) - dovecotBefore;
            var (valid, detail) = tool == CollectorCheck
                ? (run.ExitCode == 0, run.ExitCode == 0 ? "process start + config parse" : $"exit {run.ExitCode}: {Last(run)}")
                : Judge(scenario, tool, run, expected, Delivered(maildir, filesBefore, bsmtp, bsmtpBefore, tool == FetchmailBsmtp));
            scenario.After();
            return new PeerSample(scenario.Id, tool, round, run.Wall.TotalSeconds, run.CpuSeconds, run.PeakRssKb / 1024.0, dovecotCpu, valid, detail)
            {
                SessionSeconds = tool is Collector or CollectorTls && scenario.Users.Count == 1 ? Tools.CollectorSessionSeconds(run.StandardOutput) : null,
            };
        }

        public List<string> Describe(int completed, int rounds, string loadAtStart, List<string> loads, TimeSpan elapsed)
        {
            static string Line(string program, string args)
            {
                try
                {
                    var info = new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                    using var p = Process.Start(info)!;
                    var text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
                    p.WaitForExit();
                    return text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.Contains("WARNING", StringComparison.Ordinal)) ?? "?";
                }
                catch (System.ComponentModel.Win32Exception)
                {
                    return "?";
                }
            }

            var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
            var memory = File.ReadLines("/proc/meminfo").First().Split(':', 2)[1].Trim();
            return
            [
                $"machine: {Environment.ProcessorCount} CPU ({cpu}), {memory} RAM, kernel {Environment.OSVersion.Version}, .NET {Environment.Version}",
                $"load average (1, 5, 15 min): at start {loadAtStart}; at each round's start {string.Join(" | ", loads)}; at the end {Tokens200.LoadAverage()}",
                completed == rounds
                    ? $"run time: {elapsed.TotalMinutes:F1} min, {rounds} round(s)"
                    : $"**PARTIAL: {completed} of {rounds} rounds done** (the run was stopped or is still going) after {elapsed.TotalMinutes:F1} min; medians over these rounds only",
                $"collector: `{collector}` (published ReadyToRun as deploy/ ships it, unless the command says CC_BENCH_JIT=1)",
                $"peers: {Line(options.Mpop, "--version")}; {Line(options.Fetchmail, "--version")}; {Line(options.Getmail, "--version")}; raw client: bench/raw-pop3.py on {Line(options.Python, "--version")}",
                $"server: private Dovecot ({Line("dovecot", "--version")}) on 127.0.0.1, plain POP3 port {server.PlainPort}, POP3S port {server.TlsPort}, USER/PASS",
            ];
        }

        public void Dispose()
        {
            _daemon?.DisposeAsync().AsTask().GetAwaiter().GetResult();
            if (options.Keep)
            {
                Console.WriteLine($"kept {_work}");
            }
            else
            {
                Tools.TryDelete(_work);
            }
        }

        private HashSet<string> Drop(TestMailUser user, IEnumerable<TestMessage> messages, bool remember = false)
        {
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var m in messages)
            {
                var path = server.DropMessage(user.Name, m);
                if (remember)
                {
                    _dropped.Add(path);
                }

                ids.Add(m.MessageId.Trim('<', '>'));
            }

            return ids;
        }

        /// <summary>Removes the messages dropped with remember: Dovecot may have moved them to cur/ (name + ":2,flags").</summary>
        private void RemoveDropped()
        {
            foreach (var path in _dropped)
            {
                var name = Path.GetFileName(path);
                var maildir = Path.GetDirectoryName(Path.GetDirectoryName(path))!;
                foreach (var sub in new[] { "new", "cur" })
                {
                    foreach (var file in Directory.EnumerateFiles(Path.Combine(maildir, sub), name + "*"))
                    {
                        File.Delete(file);
                    }
                }
            }

            _dropped.Clear();
        }

        private void EmptyMailbox(string user)
        {
            var maildir = server.MaildirPath(user);
            foreach (var sub in new[] { "new", "cur" })
            {
                var dir = Path.Combine(maildir, sub);
                if (Directory.Exists(dir))
                {
                    foreach (var file in Directory.EnumerateFiles(dir))
                    {
                        File.Delete(file);
                    }
                }
            }
        }

        /// <summary>
        /// daemon-10: the daemon starts (and collects the mailbox) at its first run; each run puts the 10 new messages on
        /// the server, asks for a check and takes the session's wall and CPU from the collector's metrics.
        /// </summary>
        private async Task<PeerSample> RunDaemonAsync(Scenario scenario, int round)
        {
            var dir = Path.Combine(_work, "daemon");
            var maildir = Path.Combine(dir, "maildir");
            if (_daemon is null)
            {
                Tools.CreateMaildir(maildir);
                var ctl = options.CollectorCtl ?? Path.Combine(AppContext.BaseDirectory, "collectorctl.dll");
                var clock = Stopwatch.StartNew();
                _daemon = await PeersDaemon.StartAsync(collector, ctl, dir, server, scenario.Users[0], maildir).ConfigureAwait(false);
                Console.WriteLine($"daemon-10: collector run started and made its first collection in {clock.Elapsed.TotalSeconds:F1}s (not measured)");
            }

            var filesBefore = MaildirFiles(maildir);
            var expected = scenario.Before(round, Daemon);
            var dovecotBefore = Tokens200.DovecotCpuSeconds(server);
            var check = await _daemon.CheckAsync().ConfigureAwait(false);
            var dovecotCpu = Tokens200.DovecotCpuSeconds(server) - dovecotBefore;
            var delivered = Delivered(maildir, filesBefore, "", 0, fromBsmtp: false);
            scenario.After();

            var problems = new List<string>();
            if (check.ExitCode != 0)
            {
                problems.Add($"collectorctl exit {check.ExitCode}: {check.Output}");
            }

            if (check.Sessions != 1)
            {
                problems.Add($"{check.Sessions} session(s) counted during the check (the account's schedule ran too?)");
            }

            var distinct = delivered.ToHashSet(StringComparer.Ordinal);
            if (delivered.Count != expected.Count || expected.Any(e => !distinct.Contains(e)))
            {
                problems.Add($"{delivered.Count} delivered, {expected.Count(e => !distinct.Contains(e))} missing, {delivered.Count - distinct.Count} duplicates");
            }

            var cpu = check.CpuSeconds is { } c ? $"{c * 1000:F1} ms CPU" : "CPU not recorded (another session overlapped)";
            var detail = problems.Count == 0
                ? $"{delivered.Count} messages, every Message-ID once; session {check.WallSeconds * 1000:F1} ms wall, {cpu} (collector's metrics); collectorctl's whole run {check.CtlSeconds:F2}s"
                : string.Join("; ", problems);
            return new PeerSample(scenario.Id, Daemon, round, check.WallSeconds, check.CpuSeconds, check.RssMiB, dovecotCpu, problems.Count == 0, detail);
        }

        private Task<Measured> RunRawAsync(Scenario scenario, string state, string maildir, bool fsync)
        {
            var accounts = Path.Combine(state, "accounts");
            File.WriteAllLines(accounts, scenario.Users.Select(u => $"{server.Host} {server.PlainPort} {u.Name} {u.Password}"));
            List<string> args = [rawClient, "--accounts", accounts, "--state", Path.Combine(state, "uidls"), "--maildir", maildir];
            if (fsync)
            {
                args.Add("--fsync");
            }

            if (scenario.Delete)
            {
                args.Add("--delete");
            }

            return Tools.RunMeasuredAsync(options.Python, args, RunTimeout);
        }

        private Task<Measured> RunMpopAsync(Scenario scenario, string state, string maildir)
        {
            var rc = new StringBuilder()
                .AppendLine("defaults")
                .AppendLine(CultureInfo.InvariantCulture, $"host {server.Host}")
                .AppendLine(CultureInfo.InvariantCulture, $"port {server.PlainPort}")
                .AppendLine("tls off")
                .AppendLine("auth user")
                .AppendLine(scenario.Delete ? "keep off" : "keep on")
                .AppendLine("only_new on")
                .AppendLine("received_header off")
                .AppendLine(CultureInfo.InvariantCulture, $"delivery maildir {maildir}");
            for (var i = 0; i < scenario.Users.Count; i++)
            {
                rc.AppendLine(CultureInfo.InvariantCulture, $"account a{i:D3}")
                    .AppendLine(CultureInfo.InvariantCulture, $"user {scenario.Users[i].Name}")
                    .AppendLine(CultureInfo.InvariantCulture, $"password {scenario.Users[i].Password}")
                    .AppendLine(CultureInfo.InvariantCulture, $"uidls_file {Path.Combine(state, "uidls-" + i.ToString("D3", CultureInfo.InvariantCulture))}");
            }

            var rcFile = WritePrivate(Path.Combine(state, "mpoprc"), rc.ToString());
            return Tools.RunMeasuredAsync(options.Mpop, ["--file=" + rcFile, "--quiet", "-a"], RunTimeout);
        }

        private Task<Measured> RunFetchmailAsync(Scenario scenario, string state, string maildir, string? bsmtp)
        {
            // uidl: only new messages with keep (fetchmail's own default otherwise refetches); no keep in delete mode.
            var rc = new StringBuilder()
                .AppendLine("set no syslog")
                .AppendLine("set no bouncemail")
                .AppendLine(CultureInfo.InvariantCulture, $"defaults proto pop3 port {server.PlainPort} timeout 60 uidl {(scenario.Delete ? "nokeep" : "keep")} no rewrite sslproto ''");
            for (var i = 0; i < scenario.Users.Count; i++)
            {
                rc.AppendLine(CultureInfo.InvariantCulture, $"poll a{i:D3} via {server.Host} user \"{scenario.Users[i].Name}\" there with password \"{scenario.Users[i].Password}\" is root here");
            }

            var rcFile = WritePrivate(Path.Combine(state, "fetchmailrc"), rc.ToString());

            // fetchmail has no Maildir writer: the MDA (a /bin/sh per message, $$ names the file) writes tmp/, then moves into new/.
            string[] delivery = bsmtp is null ? ["--mda", $"cat > {maildir}/tmp/m$$ && mv {maildir}/tmp/m$$ {maildir}/new/m$$.fetchmail"] : ["--bsmtp", bsmtp];
            return Tools.RunMeasuredAsync(options.Fetchmail, ["-f", rcFile, .. delivery, "--idfile", Path.Combine(state, "fetchids"), "--nodetach", "--nosyslog", "--silent"], RunTimeout,
                new Dictionary<string, string> { ["HOME"] = state });
        }

        private async Task<Measured> RunGetmailAsync(Scenario scenario, string state, string maildir)
        {
            // Its delivery child runs as the mail user (not measured): the Maildir must be that user's.
            using (var chown = Process.Start("chown", ["-R", $"{server.MailUid}:{server.MailGid}", maildir]))
            {
                await chown.WaitForExitAsync().ConfigureAwait(false);
            }

            List<string> args = ["--getmaildir", state, "--quiet"];
            for (var i = 0; i < scenario.Users.Count; i++)
            {
                var rc = string.Join('\n',
                    "[retriever]",
                    "type = SimplePOP3Retriever",
                    $"server = {server.Host}",
                    $"port = {server.PlainPort.ToString(CultureInfo.InvariantCulture)}",
                    $"username = {scenario.Users[i].Name}",
                    $"password = {scenario.Users[i].Password}",
                    // Bounds a lost child wait too (see bench/getmail-run.py): an error after 10 s, not 180 s.
                    "timeout = 10",
                    "[destination]",
                    "type = Maildir",
                    $"path = {maildir}/",
                    $"user = {server.MailUser.Name}", // getmail refuses to deliver as root
                    "[options]",
                    "verbose = 0",
                    "read_all = false",
                    scenario.Delete ? "delete = true" : "delete = false",
                    "received = false",
                    "delivered_to = false",
                    "message_log_syslog = false",
                    "");
                args.Add("--rcfile");
                args.Add(WritePrivate(Path.Combine(state, "getmailrc-" + i.ToString("D3", CultureInfo.InvariantCulture)), rc));
            }

            // getmail through bench/getmail-run.py: getmail itself, with its lost-SIGCHLD race fixed.
            return await Tools.RunMeasuredAsync(options.Python, [_getmailLauncher, options.Getmail, .. args], RunTimeout).ConfigureAwait(false);
        }

        private Task<Measured> RunCollectorAsync(Scenario scenario, string state, string maildir, string tool)
        {
            var tls = tool == CollectorTls;
            var node = new StringBuilder()
                .AppendLine("collector {")
                .AppendLine(CultureInfo.InvariantCulture, $"  state-directory = {Tools.Quote(Path.Combine(state, "state"))}")
                .AppendLine(CultureInfo.InvariantCulture, $"  max-pop3-clients = {scenario.MaxClients}")
                .AppendLine(CultureInfo.InvariantCulture, $"  max-per-server = {scenario.MaxClients}")
                .AppendLine("  accounts = [");
            for (var i = 0; i < scenario.Users.Count; i++)
            {
                var transport = tls
                    ? $"port = {server.TlsPort}, ssl = implicit, certificate-sha256 = {server.Certificate.Sha256Fingerprint}"
                    : $"port = {server.PlainPort}, ssl = none";
                node.AppendLine(CultureInfo.InvariantCulture, $"    {{ id = a{i:D3}, pop3-server = {Tools.Quote(server.Host)}, {transport}, pop3-account = {Tools.Quote(scenario.Users[i].Name)}, password = {Tools.Quote(scenario.Users[i].Password)}, leave-mail-on-server = {(scenario.Delete ? "off" : "on")}, mailbox = {Tools.Quote("maildir:" + maildir)} }}");
            }

            node.AppendLine("  ]").AppendLine("}");
            var nodeFile = WritePrivate(Path.Combine(state, "node.hocon"), node.ToString());
            List<string> command = [collector, tool == CollectorCheck ? "check" : "once", "--config", nodeFile];
            if (options.TraceDirectory is { } traces && tool == Collector)
            {
                // --trace: the run under dotnet-trace (EventPipe stack samples, ~100 Hz per thread), for bench/trace-summary.py.
                Directory.CreateDirectory(traces);
                var name = $"{scenario.Id}-{++_traced:D2}.nettrace";
                command = [options.DotnetTrace, "collect", "--show-child-io", "--profile", "dotnet-sampled-thread-time", "--format", "Speedscope", "-o", Path.Combine(traces, name), "--", .. command];
            }

            return Tools.RunMeasuredAsync(command[0], command.Skip(1), RunTimeout, new Dictionary<string, string>
            {
                ["XDG_STATE_HOME"] = Path.Combine(state, "xdg-state"),
                ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            });
        }

        private (bool Valid, string Detail) Judge(Scenario scenario, string tool, Measured run, HashSet<string> expected, List<string> delivered)
        {
            var problems = new List<string>();

            // fetchmail exits 1 for "no mail": the expected answer when nothing is new.
            var okExit = run.ExitCode == 0 || (tool is FetchmailMda or FetchmailBsmtp && run.ExitCode == 1 && expected.Count == 0);
            if (!okExit)
            {
                problems.Add($"exit {run.ExitCode}: {Last(run)}");
            }

            var distinct = delivered.ToHashSet(StringComparer.Ordinal);
            var missing = expected.Count(e => !distinct.Contains(e));
            var unexpected = distinct.Count(d => !expected.Contains(d));
            if (missing != 0 || unexpected != 0 || delivered.Count != expected.Count)
            {
                problems.Add($"{delivered.Count} delivered, {missing} missing, {unexpected} unexpected, {delivered.Count - distinct.Count} duplicates");
            }

            if (tool is Collector or CollectorTls && Tools.CollectorCollected(run.StandardOutput) is var reported && reported != expected.Count)
            {
                problems.Add($"collector reported {reported?.ToString(CultureInfo.InvariantCulture) ?? "nothing"} collected");
            }

            if (scenario.Delete && scenario.Users.Sum(u => server.CountMessages(u.Name)) is var left and not 0)
            {
                problems.Add($"{left} message(s) left on the server in delete mode");
            }

            return problems.Count == 0
                ? (true, expected.Count == 0 ? "nothing new, nothing delivered" : $"{delivered.Count} messages, every Message-ID once{(scenario.Delete ? ", server empty" : "")}")
                : (false, string.Join("; ", problems));
        }

        private static List<string> Delivered(string maildir, HashSet<string> filesBefore, string bsmtp, long bsmtpBefore, bool fromBsmtp)
        {
            if (fromBsmtp)
            {
                if (!File.Exists(bsmtp))
                {
                    return [];
                }

                using var stream = File.OpenRead(bsmtp);
                stream.Seek(bsmtpBefore, SeekOrigin.Begin);
                using var reader = new StreamReader(stream);
                return Tokens200.MessageIds(reader.ReadToEnd().Split('\n'));
            }

            var ids = new List<string>();
            foreach (var file in MaildirFiles(maildir).Where(f => !filesBefore.Contains(f)))
            {
                ids.AddRange(Tokens200.MessageIds(Unfold(File.ReadLines(file).TakeWhile(l => l.Length > 0 && l != "\r"))));
            }

            return ids;
        }

        /// <summary>Header lines with their continuations joined (getmail6 folds a long Message-ID onto the next line).</summary>
        private static IEnumerable<string> Unfold(IEnumerable<string> header)
        {
            string? current = null;
            foreach (var line in header)
            {
                if (current is not null && line.Length > 0 && line[0] is ' ' or '\t')
                {
                    current += " " + line.Trim();
                    continue;
                }

                if (current is not null)
                {
                    yield return current;
                }

                current = line;
            }

            if (current is not null)
            {
                yield return current;
            }
        }

        private static HashSet<string> MaildirFiles(string maildir) =>
            new[] { "new", "cur" }.Select(s => Path.Combine(maildir, s)).Where(Directory.Exists).SelectMany(Directory.EnumerateFiles).ToHashSet(StringComparer.Ordinal);

        /// <summary>The work directory must be traversable by the mail user (getmail's delivery child).</summary>
        private static string OpenToAll(string path)
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            return path;
        }

        private static string WritePrivate(string path, string text)
        {
            File.WriteAllText(path, text);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // the tools refuse readable files with passwords
            return path;
        }

        private static string Last(Measured run) => run.Combined.Split('\n').LastOrDefault()?.Trim() ?? "";

        private static string Slug(string tool) => new(tool.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
    }
}
