using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CollectorCluster.Testing;

namespace CollectorCluster.IntegrationTests;

/// <summary>
/// The command host as an attacker meets it, each attack against a real <c>collector run</c> process: a web page's
/// cross-origin POST (the exact bytes Chromium sends), lines that are not UTF-8 or start with a byte-order mark,
/// a 200 MB line, more connections than the cap, wrong tokens; and the trust limits behind it: runtime accounts
/// that would run a program or write outside the allowed Maildir roots.
/// </summary>
public sealed class CtlTrustTests : IDisposable
{
    /// <summary>
    /// What Chromium 156.0.8078.114 (headless, Debian 12) sent for <c>fetch('http://127.0.0.1:PORT/', {method: 'POST',
    /// mode: 'no-cors', body})</c> from a page on another origin, captured byte for byte; <c>{0}</c> is the port,
    /// <c>{1}</c> the body's length, <c>{2}</c> the body.
    /// </summary>
    private const string BrowserPost =
        "POST / HTTP/1.1\r\n"
        + "Host: 127.0.0.1:{0}\r\n"
        + "Connection: keep-alive\r\n"
        + "Content-Length: {1}\r\n"
        + "sec-ch-ua-platform: \"Linux\"\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0 Safari/537.36\r\n"
        + "sec-ch-ua: \"Not:A-Brand\";v=\"8\", \"Chromium\";v=\"156\"\r\n"
        + "Content-Type: text/plain;charset=UTF-8\r\n"
        + "sec-ch-ua-mobile: ?0\r\n"
        + "Accept: */*\r\n"
        + "Origin: http://127.0.0.1:39111\r\n"
        + "Sec-Fetch-Site: same-site\r\n"
        + "Sec-Fetch-Mode: no-cors\r\n"
        + "Sec-Fetch-Dest: empty\r\n"
        + "Referer: http://127.0.0.1:39111/\r\n"
        + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
        + "Accept-Language: en-US,en;q=0.9\r\n"
        + "\r\n"
        + "{2}";

    private readonly CollectorWorkspace node = new();
    private readonly List<CollectorProcess> daemons = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_browsers_cross_origin_post_and_other_malformed_first_lines_close_the_connection_and_run_nothing()
    {
        var (at, port) = await StartNodeAsync();
        var token = File.ReadAllText(node.TokenFile).Trim();
        Assert.StartsWith(CollectorCluster.Wire.CommandWire.TokenPrefix, token, StringComparison.Ordinal);
        Assert.True(OperatingSystem.IsWindows() || File.GetUnixFileMode(node.TokenFile) == (UnixFileMode.UserRead | UnixFileMode.UserWrite), "the token file is not 0600");

        // The worst case: the page even knows the token. The request line ends the connection before the body is read.
        var body = "\n{\"command\":\"node offline\",\"token\":\"" + token + "\"}\n";
        var post = string.Format(CultureInfo.InvariantCulture, BrowserPost, port, Encoding.UTF8.GetByteCount(body), body);
        var answer = await ExchangeAsync(port, Encoding.UTF8.GetBytes(post));
        var line = Assert.Single(answer.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"ok\":false", line, StringComparison.Ordinal);
        Assert.Contains("bad request", line, StringComparison.Ordinal);
        Assert.Contains("closing the connection", line, StringComparison.Ordinal);

        // A UTF-16 request (FF FE byte-order mark), bytes that are not UTF-8, an object without a command: each closes too, at once.
        var utf16 = new byte[] { 0xFF, 0xFE }.Concat(Encoding.Unicode.GetBytes("{\"command\":\"node offline\",\"token\":\"" + token + "\"}\n")).ToArray();
        Assert.Contains("byte-order mark", await ExchangeAsync(port, utf16), StringComparison.Ordinal);
        Assert.Contains("not UTF-8", await ExchangeAsync(port, [.. "{\"command\":\"node "u8, 0xC3, .. "offline\"}\n"u8]), StringComparison.Ordinal);
        var noCommand = await ExchangeAsync(port, Encoding.UTF8.GetBytes("{\"token\":\"" + token + "\"}\n"));
        Assert.Contains("bad request: no ", noCommand, StringComparison.Ordinal);
        Assert.Contains("closing the connection", noCommand, StringComparison.Ordinal);

        // A connection that says nothing is closed once the first request is overdue (handshake-timeout, 10 s).
        Assert.Contains("no request within 00:00:10 (handshake-timeout); closing the connection", await ExchangeAsync(port, []), StringComparison.Ordinal);

        var show = await CtlClient.RunAsync(at, "node", "show");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("node is online", show.Output, StringComparison.Ordinal);
        var log = await CtlClient.RunAsync(at, "log", "tail", "-n", "100");
        Assert.Contains("closed the connection from 127.0.0.1: bad request", log.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, log.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_200_MB_line_closes_the_connection_and_the_node_stays_small()
    {
        const long line = 200L * 1024 * 1024;
        var (at, port) = await StartNodeAsync();
        var daemon = daemons[^1];
        var before = Memory(daemon.Id);

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, Ct);
        var stream = client.GetStream();
        var chunk = new byte[1024 * 1024];
        Array.Fill(chunk, (byte)'a');
        long sent = 0;
        try
        {
            while (sent < line)
            {
                await stream.WriteAsync(chunk, Ct);
                sent += chunk.Length;
            }
        }
        catch (IOException)
        {
            // The node closed the connection: what this test wants.
        }

        var after = Memory(daemon.Id);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"200 MB line: {sent / (1024 * 1024)} MiB written before the node closed the connection; node RSS {before.Rss / 1024} MiB before, {after.Rss / 1024} MiB after (+{(after.Rss - before.Rss) / 1024} MiB), peak {before.Peak / 1024} -> {after.Peak / 1024} MiB");
        Assert.True(sent < line, $"the node read all {line} bytes of one line instead of closing the connection");
        Assert.True(after.Rss - before.Rss < 50 * 1024, $"RSS grew by {(after.Rss - before.Rss) / 1024} MiB");
        Assert.True(after.Peak - before.Peak < 50 * 1024, $"peak RSS grew by {(after.Peak - before.Peak) / 1024} MiB");

        var log = await CtlClient.RunAsync(at, "log", "tail", "-n", "100");
        Assert.True(log.ExitCode == 0, log.ToString());
        Assert.Contains("bad request: a line longer than 65536 bytes", log.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_257_is_refused_while_256_idle_and_the_slot_frees_when_one_closes()
    {
        // Idle connections must outlive the test: the first-request deadline is long here.
        var port = WriteNode("collector.command-host.handshake-timeout = 30m");
        var at = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        Start();
        var idle = new List<TcpClient>();
        try
        {
            // Waiting for the command host with a connection that stays: every connection it holds is one of ours.
            idle.Add(await ConnectWhenListeningAsync(port));
            for (var i = 1; i < 256; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, Ct);
                idle.Add(client);
            }

            var refused = await ExchangeAsync(port, []);
            Assert.Contains("too many connections: 256 are open (collector.command-host.max-connections)", refused, StringComparison.Ordinal);
            Assert.All(idle, c => Assert.False(c.Client.Poll(0, SelectMode.SelectRead), "an idle connection was answered or closed"));
            var ctl = await CtlClient.RunAsync(at, "node", "show");
            Assert.Equal(1, ctl.ExitCode);
            Assert.Contains("too many connections", ctl.Error, StringComparison.Ordinal);

            idle[0].Dispose();
            idle.RemoveAt(0);
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            limit.CancelAfter(TimeSpan.FromSeconds(90));
            while ((ctl = await CtlClient.RunAsync(at, "node", "show")).ExitCode != 0)
            {
                Assert.Contains("too many connections", ctl.Error, StringComparison.Ordinal); // until the node has seen the close
                await Task.Delay(100, limit.Token);
            }

            Assert.Contains("node is online", ctl.Output, StringComparison.Ordinal);
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_its_peer_waits_while_other_peers_are_served()
    {
        var (at, port) = await StartNodeAsync("collector.command-host { failed-auth-delay = 30m, failed-auth-max-delay = 1h }");
        var token = File.ReadAllText(node.TokenFile).Trim();

        var wrong = await CollectorCtl.RunAsync([at, "node", "offline"], Ct, environment: new Dictionary<string, string> { ["COLLECTORCTL_TOKEN"] = token[..^1] + (token[^1] == 'x' ? 'y' : 'x') });
        Assert.Equal(1, wrong.ExitCode);
        Assert.Contains("wrong token", wrong.Error, StringComparison.Ordinal);
        Assert.Contains("the next attempt from 127.0.0.1 is allowed after", wrong.Error, StringComparison.Ordinal);

        // The peer now waits: even the right token is refused unchecked, and nothing runs.
        var right = await CtlClient.RunAsync(at, "node", "offline");
        Assert.Equal(1, right.ExitCode);
        Assert.Contains("refused: 1 failed token attempt(s) from 127.0.0.1", right.Error, StringComparison.Ordinal);
        var raw = await ExchangeAsync(port, Encoding.UTF8.GetBytes($"{{\"command\":\"node offline\",\"token\":\"{token}\"}}\n"));
        Assert.Contains("refused: 1 failed token attempt(s)", raw, StringComparison.Ordinal);

        // Another peer (127.0.0.2 is this machine too) is not slowed, and sees the node still online.
        var other = await ExchangeAsync(port, Encoding.UTF8.GetBytes($"{{\"command\":\"node show\",\"token\":\"{token}\"}}\n"), IPAddress.Parse("127.0.0.2"), keepOpen: true);
        Assert.Contains("node is online", other, StringComparison.Ordinal);
        var missing = await ExchangeAsync(port, Encoding.UTF8.GetBytes("{\"command\":\"node show\"}\n"), IPAddress.Parse("127.0.0.3"));
        Assert.Contains("missing token", missing, StringComparison.Ordinal);
        Assert.Contains("closing the connection", missing, StringComparison.Ordinal);

        var stopped = await StopAsync();
        Assert.Contains("Command host: refused a request from 127.0.0.1: wrong token", stopped.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(token, stopped.Error + stopped.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Runtime_accounts_cannot_run_a_program_or_write_outside_the_maildir_roots()
    {
        var mail = Directory.CreateDirectory(Path.Combine(node.Root, "mail")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(node.Root, "outside")).FullName;
        File.CreateSymbolicLink(Path.Combine(mail, "link"), outside);
        var (at, _) = await StartNodeAsync($"collector.runtime-accounts.maildir-roots = [\"{mail}\"]");
        async Task<CtlResult> AddAsync(string id, string mailbox) =>
            await CollectorCtl.RunAsync([at, "collector", "add", id, "--server", "127.0.0.1:1", "--user", "u", "--mailbox", mailbox, "--every", "24h", "--password-stdin"], Ct, TestSecrets.Password("runtime") + "\n");

        var mda = await AddAsync("prog", "mda:/bin/sh -c 'id > /tmp/owned'");
        Assert.Equal(1, mda.ExitCode);
        Assert.Contains("an account added at run time cannot deliver to a program (mda:", mda.Error, StringComparison.Ordinal);
        foreach (var escape in new[] { "maildir:/etc/collector-owned", $"maildir:{mail}/../outside/box", $"maildir:{mail}/link/box", $"maildir:{mail}-sibling" })
        {
            var refused = await AddAsync("escape", escape);
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains($"accounts added at run time may use a Maildir only under collector.runtime-accounts.maildir-roots ([{mail}])", refused.Error, StringComparison.Ordinal);
        }

        var allowed = await AddAsync("inside", $"maildir:{mail}/inside");
        Assert.True(allowed.ExitCode == 0, allowed.ToString());
        var edit = await CtlClient.RunAsync(at, "collector", "edit", "inside", "--mailbox", "mda:/usr/bin/true");
        Assert.Equal(1, edit.ExitCode);
        Assert.Contains("collector edit: mailbox 'mda:/usr/bin/true': an account added at run time cannot deliver to a program", edit.Error, StringComparison.Ordinal);
        var list = await CtlClient.RunAsync(at, "collector", "list");
        Assert.Contains("inside | ", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("prog | ", list.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("escape | ", list.Output, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Fact]
    public async Task Escape_sequences_in_a_servers_replies_reach_no_log_line_log_tail_or_terminal_raw()
    {
        await using var hostile = new EscapingPop3Server();
        node.WriteNodeFile(new AccountSpec("hostile", new TestMailUser("victim", TestSecrets.Password("hostile")), hostile.Port) { Extra = "      check-every = 24h" });
        var at = node.ServeCommands();
        await CtlClient.WaitForCommandHostAsync(Start(), at);

        var collect = await CtlClient.RunAsync(at, "collector", "collect", "hostile");
        Assert.Equal(1, collect.ExitCode);
        Assert.Contains("denied by hostile", collect.Output + collect.Error, StringComparison.Ordinal);
        var show = await CtlClient.RunAsync(at, "collector", "show", "hostile");
        var tail = await CtlClient.RunAsync(at, "log", "tail", "-n", "200");
        Assert.Contains("denied by hostile", tail.Output, StringComparison.Ordinal);
        var stopped = await StopAsync();
        Assert.Contains("denied by hostile", stopped.Error, StringComparison.Ordinal);
        foreach (var (what, text) in new[] { ("collect", collect.Output + collect.Error), ("show", show.Output), ("log tail", tail.Output), ("the node's log", stopped.Error + stopped.Output) })
        {
            Assert.False(text.Contains('\u001b', StringComparison.Ordinal), $"{what} holds a raw ESC:\n{text}");
            Assert.False(text.Contains('\u0007', StringComparison.Ordinal), $"{what} holds a raw BEL:\n{text}");
            Assert.False(text.Contains('\r', StringComparison.Ordinal), $"{what} holds a raw CR:\n{text}");
        }
    }

    [Fact]
    public async Task Tls_on_the_command_host_is_verified_by_collectorctl_and_plain_tcp_never_leaves_the_machine()
    {
        var certificate = TestCertificate.Shared;
        var (cert, key) = certificate.WritePemFiles(Path.Combine(node.Root, "tls"));
        var (at, _) = await StartTlsNodeAsync($"collector.command-host.tls {{ certificate-file = \"{cert}\", key-file = \"{key}\" }}");

        var pinned = await CollectorCtl.RunAsync([at, "--tls-pin", certificate.Sha256Fingerprint, "node", "show"], Ct);
        Assert.True(pinned.ExitCode == 0, pinned.ToString());
        Assert.Contains("node is online", pinned.Output, StringComparison.Ordinal);
        var untrusted = await CollectorCtl.RunAsync(["tls://" + at, "node", "show"], Ct);
        Assert.Equal(3, untrusted.ExitCode);
        Assert.Contains($"not trusted here", untrusted.Error, StringComparison.Ordinal);
        Assert.Contains($"--tls-pin {certificate.Sha256Fingerprint}", untrusted.Error, StringComparison.Ordinal);
        var wrongPin = await CollectorCtl.RunAsync([at, "--tls-pin", new string('0', 64), "node", "show"], Ct);
        Assert.Equal(3, wrongPin.ExitCode);
        Assert.Contains("not the pinned", wrongPin.Error, StringComparison.Ordinal);
        var plain = await CollectorCtl.RunAsync([at, "node", "show"], Ct);
        Assert.Equal(3, plain.ExitCode);

        // Off this machine, collectorctl never sends the token without TLS (it does not even connect).
        var remote = await CollectorCtl.RunAsync(["192.0.2.1:9110", "node", "show"], Ct);
        Assert.Equal(2, remote.ExitCode);
        Assert.Contains("the token would cross the network in clear", remote.Error, StringComparison.Ordinal);

        var stopped = await StopAsync();
        Assert.Contains($"TLS, certificate SHA-256 {certificate.Sha256Fingerprint}", stopped.Error, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        daemons.ForEach(d => d.Dispose());
        node.Dispose();
    }

    /// <summary>RSS and its peak (VmHWM) of a process, in KiB, from /proc.</summary>
    private static (long Rss, long Peak) Memory(int pid)
    {
        long Read(string key) => long.Parse(
            File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status").Single(l => l.StartsWith(key + ":", StringComparison.Ordinal))[(key.Length + 1)..].Trim().Split(' ')[0],
            CultureInfo.InvariantCulture);
        return (Read("VmRSS"), Read("VmHWM"));
    }

    /// <summary>
    /// Sends <paramref name="bytes"/> on a new connection (from <paramref name="from"/>, a loopback address) and reads
    /// what comes back until the node closes the connection; with <paramref name="keepOpen"/>, only the first answer line.
    /// </summary>
    private static async Task<string> ExchangeAsync(int port, byte[] bytes, IPAddress? from = null, bool keepOpen = false)
    {
        using var client = new TcpClient(new IPEndPoint(from ?? IPAddress.Loopback, 0));
        await client.ConnectAsync(IPAddress.Loopback, port, Ct);
        var stream = client.GetStream();
        await stream.WriteAsync(bytes, Ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(90));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, limit.Token)) > 0)
            {
                received.Write(buffer, 0, read);
                if (keepOpen && buffer.AsSpan(0, read).Contains((byte)'\n'))
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // Reset after the answer: the end, as a close is.
        }

        return Encoding.UTF8.GetString(received.ToArray());
    }

    /// <summary>Connects as soon as the node's command host listens (the node is up then); the connection stays open.</summary>
    private async Task<TcpClient> ConnectWhenListeningAsync(int port)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            Assert.False(daemons[^1].HasExited, $"collector run ended early:\n{daemons[^1].Output}");
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, port, limit.Token);
                return client;
            }
            catch (SocketException)
            {
                client.Dispose();
                await Task.Delay(100, limit.Token);
            }
        }
    }

    /// <summary>Writes the node file (one account that never collects by itself) with <paramref name="nodeExtra"/>; returns the command port.</summary>
    private int WriteNode(string nodeExtra = "")
    {
        node.WriteNodeFile(new AccountSpec("idle", new TestMailUser("idle", TestSecrets.Password("idle")), 1) { Extra = "      check-every = 24h" });
        var at = node.ServeCommands(nodeExtra);
        return int.Parse(at[(at.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }

    private async Task<(string At, int Port)> StartNodeAsync(string nodeExtra = "")
    {
        var port = WriteNode(nodeExtra);
        var at = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        await CtlClient.WaitForCommandHostAsync(Start(), at);
        return (at, port);
    }

    /// <summary>Starts a node whose command host speaks TLS; waits with a pinned collectorctl until it answers.</summary>
    private async Task<(string At, int Port)> StartTlsNodeAsync(string nodeExtra)
    {
        var port = WriteNode(nodeExtra);
        var at = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var daemon = Start();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            Assert.False(daemon.HasExited, $"collector run ended early:\n{daemon.Output}");
            var probe = await CollectorCtl.RunAsync([at, "--tls-pin", TestCertificate.Shared.Sha256Fingerprint, "cluster", "show"], Ct);
            if (probe.ExitCode == 0 && probe.Output.Contains("| Up |", StringComparison.Ordinal))
            {
                return (at, port);
            }

            Assert.True(probe.ExitCode == 3, probe.ToString());
            await Task.Delay(100, limit.Token);
        }
    }

    private CollectorProcess Start()
    {
        var daemon = node.StartProcess("run", "--config", node.NodeFile);
        daemons.Add(daemon);
        return daemon;
    }

    private async Task<OnceResult> StopAsync()
    {
        daemons[^1].Terminate();
        var stopped = await daemons[^1].WaitAsync(TimeSpan.FromSeconds(90), Ct);
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        return stopped;
    }
}
