using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Bench;

/// <summary>
/// The running <c>collector run</c> of the peers bench's daemon-10 scenario: one account on the private Dovecot, its
/// command host and <c>/metrics</c> on reserved loopback ports, its first collection (the mailbox's 5,000 messages) done
/// at start and not measured. A check is <c>collectorctl collector collect a000</c>; its time is the collector's own
/// figure for that session, the change of <c>collector.session.duration</c> (and <c>collector.session.cpu</c>) over the
/// check, read from <c>/metrics</c>: what an operator's Prometheus sees, without collectorctl's own start.
/// </summary>
internal sealed partial class PeersDaemon : IAsyncDisposable
{
    /// <summary>The account's id in the node file.</summary>
    public const string AccountId = "a000";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private readonly RunningProcess _process;
    private readonly CtlTranscript _ctl;
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Uri _metrics;

    private PeersDaemon(RunningProcess process, CtlTranscript ctl, int healthPort)
    {
        _process = process;
        _ctl = ctl;
        _metrics = new Uri($"http://127.0.0.1:{healthPort.ToString(CultureInfo.InvariantCulture)}/metrics");
    }

    /// <summary>
    /// Starts the daemon in <paramref name="dir"/> for <paramref name="user"/>, delivering into <paramref name="maildir"/>,
    /// and runs its first collection (everything on the server), so every later check is incremental.
    /// </summary>
    public static async Task<PeersDaemon> StartAsync(string collector, string ctlDll, string dir, DovecotServer server, TestMailUser user, string maildir)
    {
        Directory.CreateDirectory(dir);
        var ports = PortAllocator.Reserve(3);
        var node = Path.Combine(dir, "node.hocon");
        File.WriteAllText(node, $$"""
            # Written by cc-bench peers (daemon-10).
            collector {
              state-directory = {{Tools.Quote(Path.Combine(dir, "state"))}}
              command-host.port = {{ports[0]}}
              health.port = {{ports[1]}}
              jitter = 0
              accounts = [
                { id = {{AccountId}}, pop3-server = {{Tools.Quote(server.Host)}}, port = {{server.PlainPort}}, ssl = none, pop3-account = {{Tools.Quote(user.Name)}}, password = {{Tools.Quote(user.Password)}}, leave-mail-on-server = on, check-every = 24h, mailbox = {{Tools.Quote("maildir:" + maildir)}} }
              ]
            }
            akka.remote.dot-netty.tcp.port = {{ports[2]}}

            """);
        File.SetUnixFileMode(node, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var environment = new Dictionary<string, string> { ["XDG_STATE_HOME"] = Path.Combine(dir, "xdg-state"), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        var process = ProcessRunner.Start(ProcessRunner.StartInfo(collector, ["run", "--config", node], environment: environment));
        var ctl = new CtlTranscript(ctlDll, $"127.0.0.1:{ports[0]}", new Dictionary<string, string> { ["COLLECTORCTL_TOKEN_FILE"] = Path.Combine(dir, "state", CollectorCluster.Wire.CommandWire.TokenFileName) });
        var daemon = new PeersDaemon(process, ctl, ports[1]);
        try
        {
            await daemon.WaitUntilUpAsync().ConfigureAwait(false);
            var first = await daemon.CheckAsync().ConfigureAwait(false);
            if (first.ExitCode != 0)
            {
                throw new InvalidOperationException($"the daemon's first collection failed (exit {first.ExitCode}): {first.Output}");
            }

            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The daemon's log so far (standard error).</summary>
    public string Log => _process.Error;

    /// <summary>One check: collectorctl asks the account to collect now; the session's figures come from <c>/metrics</c>.</summary>
    public async Task<PeersDaemonCheck> CheckAsync()
    {
        var before = await ScrapeAsync().ConfigureAwait(false);
        var clock = Stopwatch.StartNew();
        var (exit, output, error) = await _ctl.RunQuietAsync(["collector", "collect", AccountId]).ConfigureAwait(false);
        var ctlSeconds = clock.Elapsed.TotalSeconds;

        // The session reaches the metrics through the event stream, and the exporter may answer from a short cache: poll.
        var after = before;
        var waited = Stopwatch.StartNew();
        while (after.Sessions == before.Sessions && exit == 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(100).ConfigureAwait(false);
            after = await ScrapeAsync().ConfigureAwait(false);
        }

        var sessions = (int)(after.Sessions - before.Sessions);
        double? cpu = after.CpuSessions > before.CpuSessions ? after.CpuSum - before.CpuSum : null;
        return new PeersDaemonCheck(exit, (output + error).Trim(), sessions, after.WallSum - before.WallSum, cpu, ResidentMiB(), ctlSeconds);
    }

    /// <summary>SIGTERM, then the whole tree is killed if it is still there.</summary>
    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Signal("TERM");
            if (await _process.WaitForExitAsync(TimeSpan.FromSeconds(60)).ConfigureAwait(false) is var exit && exit != 0)
            {
                Console.WriteLine($"peers: collector run exited {exit} after SIGTERM");
            }
        }

        _process.Dispose();
    }

    /// <summary>Probes with <c>cluster show</c> until the command host answers and the node is Up (exit 3 until then).</summary>
    private async Task WaitUntilUpAsync()
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"collector run ended early (exit {_process.ExitCode}):\n{_process.Error}");
            }

            var (exit, output, error) = await _ctl.RunQuietAsync(["cluster", "show"]).ConfigureAwait(false);
            if (exit == 0 && output.Contains("| Up |", StringComparison.Ordinal))
            {
                return;
            }

            if (exit != 3 || clock.Elapsed > Patience)
            {
                throw new InvalidOperationException($"collectorctl cluster show: exit {exit}\n{output}{error}\nnode log:\n{_process.Error}");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    private async Task<Figures> ScrapeAsync()
    {
        var text = await _http.GetStringAsync(_metrics).ConfigureAwait(false);
        return new Figures(
            Sum(text, "collector_session_duration_seconds_count"),
            Sum(text, "collector_session_duration_seconds_sum"),
            Sum(text, "collector_session_cpu_seconds_count"),
            Sum(text, "collector_session_cpu_seconds_sum"));
    }

    private double ResidentMiB()
    {
        try
        {
            var line = File.ReadLines($"/proc/{_process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line["VmRSS:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), CultureInfo.InvariantCulture) / 1024.0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>A metric's value summed over its series (every outcome).</summary>
    private static double Sum(string text, string name) =>
        Sample().Matches(text).Where(m => m.Groups["name"].Value == name).Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{[^}]*\})? (?<value>[-+0-9.eE]+)(?: \d+)?$", RegexOptions.Multiline)]
    private static partial Regex Sample();

    private sealed record Figures(double Sessions, double WallSum, double CpuSessions, double CpuSum);
}
