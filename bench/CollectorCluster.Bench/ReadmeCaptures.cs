using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Bench;

/// <summary>
/// <c>cc-bench readme-captures --readme README.md</c>: runs what the README shows as output, with the built
/// <c>collector</c> and <c>collectorctl</c>, against private Dovecots, and rewrites the README's capture blocks:
/// <list type="bullet">
/// <item><description><c>quickstart</c>: the quick start (<see cref="Quickstart"/>);</description></item>
/// <item><description><c>failed-account</c>: <c>collector once</c> with a wrong password;</description></item>
/// <item><description><c>cli-session</c>: <c>collector run</c> with two accounts driven by collectorctl;</description></item>
/// <item><description><c>wire</c>: raw request and response lines on the same node's command port;</description></item>
/// <item><description><c>runtime-accounts</c>: <c>collector add|edit|remove</c> on the same node.</description></item>
/// </list>
/// Fixed ports (below Linux's ephemeral range, so the port allocator never hands them out) and fixed names keep
/// the output stable between runs; times, durations, UIDLs and Maildir names stay volatile.
/// </summary>
public static class ReadmeCaptures
{
    /// <summary>The POP3 port the captures show (a second Dovecot listener).</summary>
    public const int Pop3Port = 9312;

    /// <summary>The node's command host, which collectorctl talks to.</summary>
    public const int CommandPort = 9311;

    /// <summary>The node's Akka remoting port, which appears in every cluster address.</summary>
    public const int AkkaPort = 9310;

    private const int MessagesPerMailbox = 5;

    public static async Task<int> RunAsync(Options options)
    {
        var readme = options.Readme ?? throw new ArgumentException("readme-captures needs --readme FILE");
        if (!File.Exists(readme))
        {
            throw new ArgumentException($"--readme {readme}: no such file");
        }

        var collector = Tools.FindCollector(options);
        var ctl = options.CollectorCtl ?? Path.Combine(AppContext.BaseDirectory, "collectorctl.dll");
        if (!File.Exists(ctl))
        {
            throw new ArgumentException($"collectorctl.dll not found at {ctl}; build bench/CollectorCluster.Bench or pass --collectorctl DLL");
        }

        foreach (var port in new[] { Pop3Port, CommandPort, AkkaPort })
        {
            EnsureFree(port);
        }

        var dir = options.Directory ?? "/tmp/collector-readme";
        Tools.TryDelete(dir);
        Directory.CreateDirectory(dir);
        var captures = new Dictionary<string, string>(StringComparer.Ordinal);

        // The quick start in its own directory, so the paths shown are the ones scripts/quickstart.sh uses.
        Console.WriteLine("readme-captures: quickstart");
        var quickstart = new StringWriter();
        if (await Quickstart.RunAsync(collector, "/tmp/collector-quickstart", quickstart, Pop3Port).ConfigureAwait(false) != 0)
        {
            Console.Write(quickstart);
            throw new InvalidOperationException("the quick start failed; README left unchanged");
        }

        captures["quickstart"] = quickstart.ToString();

        await using var server = await DovecotServer.StartAsync(new DovecotServerOptions { ExtraConfigLines = Tools.FixedPop3Listener(Pop3Port) }).ConfigureAwait(false);
        var users = new Dictionary<string, TestMailUser>(StringComparer.Ordinal);
        foreach (var (name, seed) in new[] { ("fred", 100), ("office", 200) })
        {
            var user = new TestMailUser(name, TestSecrets.Password(name));
            await server.AddUserAsync(user.Name, user.Password).ConfigureAwait(false);
            for (var i = 0; i < MessagesPerMailbox; i++)
            {
                server.DropMessage(user.Name, MessageFactory.Create(1_000 + (seed * 2) + (i * 500), seed + i));
            }

            users[name] = user;
        }

        // The operator session first: a refused login makes Dovecot hold every later login from 127.0.0.1 for its auth
        // penalty (about 4 s, for about 30 s after the failure), which the daemon's first sessions would otherwise show
        // as their own time ("collected 5 message(s) ... in 4.2s").
        Console.WriteLine("readme-captures: cli-session and runtime-accounts");
        await RequireNoRefusedLoginAsync(server).ConfigureAwait(false);
        var (session, wire, runtime) = await OperatorSessionAsync(collector, ctl, Path.Combine(dir, "node"), users).ConfigureAwait(false);
        captures["cli-session"] = session;
        captures["wire"] = wire;
        captures["runtime-accounts"] = runtime;

        Console.WriteLine("readme-captures: failed-account");
        captures["failed-account"] = await FailedAccountAsync(collector, Path.Combine(dir, "failed"), server).ConfigureAwait(false);

        ReadmeBlocks.Rewrite(readme, captures);
        Console.WriteLine($"readme-captures: rewrote {captures.Count} block(s) in {readme} ({string.Join(", ", captures.Keys)}); work files in {dir}");
        return 0;
    }

    /// <summary>
    /// The captured sessions' times are the collector's own only while Dovecot holds no auth penalty against 127.0.0.1:
    /// stops when its log shows a refused login before the operator session.
    /// </summary>
    private static async Task RequireNoRefusedLoginAsync(DovecotServer server)
    {
        if (await server.CountLogLinesAsync("auth failed").ConfigureAwait(false) is var refused and > 0)
        {
            throw new InvalidOperationException($"Dovecot refused {refused} login(s) before the operator session: its auth penalty would delay the daemon's logins and the captured session times");
        }
    }

    /// <summary>`collector once` with a password Dovecot refuses: stdout (the account line and the total), exit 1.</summary>
    private static async Task<string> FailedAccountAsync(string collector, string dir, DovecotServer server)
    {
        Directory.CreateDirectory(dir);
        var wrongPassword = TestSecrets.Password(label: "wrong");
        var node = Tools.WriteNodeFile(Path.Combine(dir, "node.hocon"), Path.Combine(dir, "state"), server.Host, Pop3Port, "fred", wrongPassword, Path.Combine(dir, "Maildir"), "fred");
        var run = await Tools.RunMeasuredAsync(collector, ["once", "--config", node], TimeSpan.FromMinutes(2), StateHome(dir)).ConfigureAwait(false);
        if (run.ExitCode != 1 || !run.StandardOutput.Contains("FAILED", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"collector once with a wrong password: exit {run.ExitCode}, expected 1 and a FAILED line\n{run.Combined}");
        }

        if ((run.StandardOutput + run.StandardError).Contains(wrongPassword, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("collector once printed the password");
        }

        return run.StandardOutput;
    }

    /// <summary>
    /// A `collector run` node (fred and office, every 24h with no jitter: nothing collects until asked, since an
    /// account's first slot is a fixed time of day), driven by collectorctl; then stopped with SIGTERM.
    /// </summary>
    private static async Task<(string Session, string Wire, string Runtime)> OperatorSessionAsync(string collector, string ctlDll, string dir, IReadOnlyDictionary<string, TestMailUser> users)
    {
        Directory.CreateDirectory(dir);
        var accounts = new StringBuilder();
        foreach (var user in users.Values)
        {
            var secret = Path.Combine(dir, user.Name + ".pw");
            File.WriteAllText(secret, user.Password);
            File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            accounts.Append(CultureInfo.InvariantCulture, $$"""
                    { id = {{user.Name}}, pop3-server = "127.0.0.1", port = {{Pop3Port}}, ssl = none, pop3-account = {{user.Name}}, password-file = {{user.Name}}.pw,
                      leave-mail-on-server = on, check-every = 24h, mailbox = "maildir:Maildir/{{user.Name}}" }

                """);
        }

        var node = Path.Combine(dir, "node.hocon");
        File.WriteAllText(node, $$"""
            # Written by cc-bench readme-captures.
            collector {
              state-directory = state
              command-host.port = {{CommandPort}}
              runtime-accounts.maildir-roots = [Maildir]
              jitter = 0
              accounts = [
            {{accounts}}  ]
            }
            akka.remote.dot-netty.tcp.port = {{AkkaPort}}

            """);

        // Killed (whole tree) by the dispose if anything below throws.
        using var process = ProcessRunner.Start(ProcessRunner.StartInfo(collector, ["run", "--config", node], environment: StateHome(dir)));
        var tokenFile = Path.Combine(dir, "state", CollectorCluster.Wire.CommandWire.TokenFileName);
        var ctl = new CtlTranscript(ctlDll, $"127.0.0.1:{CommandPort}", new Dictionary<string, string> { ["COLLECTORCTL_TOKEN_FILE"] = tokenFile });
        await WaitForCommandHostAsync(ctl, process).ConfigureAwait(false);
        await ctl.RunAsync(["cluster", "status"]).ConfigureAwait(false);
        await ctl.RunAsync(["cluster", "show"]).ConfigureAwait(false);
        await ctl.RunAsync(["cluster", "stauts"], expectedExit: 1).ConfigureAwait(false);
        await ctl.RunAsync(["cluster", "down", "akka.tcp://collector@10.0.0.9:4053"], expectedExit: 1).ConfigureAwait(false);
        await ctl.RunAsync(["shard", "regions"]).ConfigureAwait(false);
        await ctl.RunAsync(["shard", "stats"]).ConfigureAwait(false);
        await ctl.RunAsync(["shard", "entity-location", "fred"]).ConfigureAwait(false);
        var all = await ctl.RunAsync(["collector", "collect", "--all"]).ConfigureAwait(false);
        if (!all.Contains($"2 account(s): 2 ok, 0 failed, {2 * MessagesPerMailbox} message(s) collected", StringComparison.Ordinal))
        {
            // With jitter 0 an account's slot is a fixed time of day: a run at that minute collects by schedule first.
            throw new InvalidOperationException("collect --all did not collect both mailboxes in full (an account's daily slot fell in this run? run again):\n" + all);
        }

        await ctl.RunAsync(["collector", "list"]).ConfigureAwait(false);
        await ctl.RunAsync(["collector", "show", "fred"]).ConfigureAwait(false);
        await ctl.RunAsync(["collector", "messages", "fred"]).ConfigureAwait(false);
        await ctl.RunAsync(["tokens", "show"]).ConfigureAwait(false);
        await ctl.RunAsync(["node", "show"]).ConfigureAwait(false);
        await ctl.RunAsync(["collector", "list", "--node", "--status", "ok"]).ConfigureAwait(false);
        await ctl.RunAsync(["collector", "pause", "office"]).ConfigureAwait(false);
        await ctl.RunAsync(["collector", "collect", "office"], expectedExit: 1).ConfigureAwait(false);
        await ctl.RunAsync(["collector", "list", "--status", "paused"]).ConfigureAwait(false);
        await ctl.RunAsync(["actor", "hierarchy"]).ConfigureAwait(false);
        await ctl.RunAsync(["log", "tail", "-n", "3"]).ConfigureAwait(false);
        var session = ctl.Text;
        var wire = await WireExchangeAsync(
            File.ReadAllText(tokenFile).Trim(),
            """{"command":"cluster leader","token":null}""",
            """{"command":"cluster","args":["status"],"token":null}""",
            """{"command":"collector show","args":["nobody"],"token":null}""").ConfigureAwait(false);

        ctl.Clear();
        var password = users["fred"].Password;
        var extraMaildir = Path.Combine(dir, "Maildir", "extra");
        await ctl.RunAsync(
            ["collector", "add", "extra", "--server", $"127.0.0.1:{Pop3Port}", "--user", "fred", "--tls", "none", "--mailbox", "maildir:" + extraMaildir, "--every", "24h", "--leave-mail-on-server", "on", "--password-stdin"],
            stdin: password,
            stdinName: "fred.pw").ConfigureAwait(false);
        await ctl.RunAsync(["collector", "edit", "extra", "--every", "12h"]).ConfigureAwait(false);
        await ctl.RunAsync(["collector", "remove", "extra"]).ConfigureAwait(false);
        await ctl.RunAsync(["collector", "remove", "extra", "--yes"]).ConfigureAwait(false);
        await ctl.RunAsync(["collector", "list"]).ConfigureAwait(false);
        await ctl.RunAsync(["collector", "remove", "fred", "--yes"], expectedExit: 1).ConfigureAwait(false);
        var runtime = ctl.Text;

        if ((session + wire + runtime + process.Output + process.Error).Contains(password, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("a password appeared in collectorctl's output or the node's log");
        }

        await StopAsync(process).ConfigureAwait(false);
        return (session, wire, runtime);
    }

    /// <summary>
    /// Sends each request line on one connection to the command host, with the node's <paramref name="token"/> in
    /// place of <c>"token":null</c>, and records it (<c>&gt; </c>, the token shortened to its prefix) with every line
    /// that came back up to the response (<c>&lt; </c>), as a client of the wire protocol sees them.
    /// </summary>
    private static async Task<string> WireExchangeAsync(string token, params string[] requests)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, CommandPort).ConfigureAwait(false);
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream, new UTF8Encoding(false));
        using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
        var text = new StringBuilder();
        foreach (var request in requests)
        {
            // The node's token goes on the wire; the capture shows only its prefix.
            text.Append("> ").Append(request.Replace("\"token\":null", $"\"token\":\"{CollectorCluster.Wire.CommandWire.TokenPrefix}…\"", StringComparison.Ordinal)).Append('\n');
            await writer.WriteLineAsync(request.Replace("\"token\":null", $"\"token\":\"{token}\"", StringComparison.Ordinal)).ConfigureAwait(false);
            while (true)
            {
                var line = await reader.ReadLineAsync().ConfigureAwait(false) ?? throw new InvalidOperationException("the command host closed the connection after " + request);
                text.Append("< ").Append(line).Append('\n');
                if (!line.StartsWith("{\"progress\"", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        return text.ToString();
    }

    /// <summary>Probes with <c>cluster show</c> until the command host answers and the node is Up (exit 3 until then).</summary>
    private static async Task WaitForCommandHostAsync(CtlTranscript ctl, RunningProcess process)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"collector run ended early (exit {process.ExitCode}):\n{process.Output}{process.Error}");
            }

            var (exit, output, error) = await ctl.RunQuietAsync(["cluster", "show"]).ConfigureAwait(false);
            if (exit == 0 && output.Contains("| Up |", StringComparison.Ordinal))
            {
                return;
            }

            if (exit != 3 || clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new InvalidOperationException($"collectorctl cluster show: exit {exit}\n{output}{error}\nnode log:\n{process.Error}");
            }

            await Task.Delay(200).ConfigureAwait(false);
        }
    }

    /// <summary>SIGTERM, as systemd stops a node; it must end with exit 0.</summary>
    private static async Task StopAsync(RunningProcess process)
    {
        process.Signal("TERM");
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
        if (exit != 0)
        {
            throw new InvalidOperationException($"collector run exited {exit} after SIGTERM:\n{process.Error}");
        }
    }

    // Keep the collector away from the caller's ~/.local/state.
    private static Dictionary<string, string> StateHome(string dir) => new() { ["XDG_STATE_HOME"] = Path.Combine(dir, "xdg-state") };

    private static void EnsureFree(int port)
    {
        try
        {
            var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"port {port} on 127.0.0.1 is in use ({e.SocketErrorCode}); readme-captures needs {Pop3Port}, {CommandPort} and {AkkaPort} free", e);
        }
    }
}
