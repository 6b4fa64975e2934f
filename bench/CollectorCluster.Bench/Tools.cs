using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace CollectorCluster.Bench;

/// <summary>One finished child process: exit code, wall time (process start included), peak RSS, output.</summary>
public sealed record Measured(int ExitCode, TimeSpan Wall, long PeakRssKb, double? CpuSeconds, string RssSource, string StandardOutput, string StandardError)
{
    public string Combined => (StandardOutput + StandardError).TrimEnd();
}

/// <summary>Helpers: run and measure a process, find the collector, write config files, hash a Maildir.</summary>
public static partial class Tools
{
    private const string GnuTime = "/usr/bin/time";

    /// <summary>
    /// Runs <paramref name="program"/> and measures wall time with a Stopwatch around the whole process (start to
    /// exit). Peak RSS comes from GNU time's %M (maxrss of the child) when /usr/bin/time exists, else from polling
    /// VmHWM in /proc/PID/status.
    /// </summary>
    public static async Task<Measured> RunMeasuredAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, IDictionary<string, string>? environment = null)
    {
        var useTime = File.Exists(GnuTime);
        var rssFile = useTime ? Path.Combine(Path.GetTempPath(), $"cc-bench-rss-{Guid.NewGuid():N}") : null;
        var info = new ProcessStartInfo(useTime ? GnuTime : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (useTime)
        {
            info.ArgumentList.Add("-f");
            info.ArgumentList.Add("%M %U %S");
            info.ArgumentList.Add("-o");
            info.ArgumentList.Add(rssFile!);
            info.ArgumentList.Add(program);
        }

        foreach (var a in arguments)
        {
            info.ArgumentList.Add(a);
        }

        if (environment is not null)
        {
            foreach (var (k, v) in environment)
            {
                info.Environment[k] = v;
            }
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        long polledKb = 0;
        using var cts = new CancellationTokenSource(timeout);
        var exited = process.WaitForExitAsync(cts.Token);
        if (!useTime)
        {
            while (!exited.IsCompleted)
            {
                polledKb = Math.Max(polledKb, ReadVmHwmKb(process.Id));
                await Task.WhenAny(exited, Task.Delay(5)).ConfigureAwait(false);
            }
        }

        try
        {
            await exited.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} did not finish within {timeout}");
        }

        clock.Stop();
        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        long rssKb = polledKb;
        double? cpu = null;
        var source = "/proc VmHWM polling";
        if (useTime)
        {
            source = "/usr/bin/time %M";
            var text = File.Exists(rssFile) ? await File.ReadAllTextAsync(rssFile!).ConfigureAwait(false) : "";
            File.Delete(rssFile!);

            // GNU time prints "Command exited with non-zero status N" before the format line on failure.
            var last = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
            var fields = last.Split(' ');
            rssKb = long.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb) ? kb : -1;
            if (fields.Length == 3
                && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var user)
                && double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var system))
            {
                cpu = user + system;
            }
        }

        return new Measured(process.ExitCode, clock.Elapsed, rssKb, cpu, source, output, errors);
    }

    private static long ReadVmHwmKb(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var digits = new string(line.Where(char.IsAsciiDigit).ToArray());
                    return long.Parse(digits, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            // Exited meanwhile.
        }

        return 0;
    }

    /// <summary>
    /// The collector apphost: --collector, else $CC_COLLECTOR, else the Node project's own output next to this
    /// tool's (artifacts layout: bin/CollectorCluster.Node/&lt;config&gt;/collector; classic: src/.../bin/&lt;Config&gt;/net10.0),
    /// else the copy beside this tool (the project reference puts it there).
    /// </summary>
    public static string FindCollector(Options options)
    {
        var candidates = new List<string>();
        if (options.Collector is not null)
        {
            candidates.Add(options.Collector);
        }
        else
        {
            var env = Environment.GetEnvironmentVariable("CC_COLLECTOR");
            if (!string.IsNullOrEmpty(env))
            {
                candidates.Add(env);
            }

            var here = AppContext.BaseDirectory.TrimEnd('/');
            var config = Path.GetFileName(here); // artifacts: "release"; classic: "net10.0"
            var up1 = Path.GetDirectoryName(here)!;
            candidates.Add(Path.Combine(up1, "..", "CollectorCluster.Node", config, "collector")); // artifacts
            var classicConfig = Path.GetFileName(up1); // "Release"
            candidates.Add(Path.Combine(up1, "..", "..", "..", "..", "src", "CollectorCluster.Node", "bin", classicConfig, config, "collector"));
            candidates.Add(Path.Combine(here, "collector"));
        }

        foreach (var c in candidates)
        {
            var full = Path.GetFullPath(c);
            if (File.Exists(full))
            {
                return full;
            }
        }

        throw new ArgumentException("collector binary not found; build src/CollectorCluster.Node -c Release or pass --collector PATH (tried: "
            + string.Join(", ", candidates.Select(Path.GetFullPath)) + ")");
    }

    /// <summary>
    /// Dovecot config lines adding a second plain POP3 listener on <paramref name="port"/> (none when null): the fixture
    /// keeps its reserved port for its own probes, and output that shows the port (README captures) stays the same.
    /// </summary>
    public static IList<string> FixedPop3Listener(int? port) => port is int p
        ? ["service pop3-login {", "  inet_listener pop3-fixed {", $"    port = {p.ToString(CultureInfo.InvariantCulture)}", "  }", "}"]
        : [];

    /// <summary>A node file: journal (SQLite) under <paramref name="stateDirectory"/>, one leave-on-server account.</summary>
    public static string WriteNodeFile(string path, string stateDirectory, string host, int port, string user, string password, string maildir, string accountId)
    {
        var text = $$"""
            # Written by cc-bench: one account on a private Dovecot, journal in its own state directory.
            collector {
              state-directory = {{Quote(stateDirectory)}}
              accounts = [
                {
                  id = {{accountId}}
                  pop3-server = {{Quote(host)}}
                  port = {{port.ToString(CultureInfo.InvariantCulture)}}
                  pop3-account = {{Quote(user)}}
                  password = {{Quote(password)}}
                  ssl = none
                  leave-mail-on-server = on
                  mailbox = {{Quote("maildir:" + maildir)}}
                }
              ]
            }

            """;
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    /// <summary>An mpop config: plain POP3 (tls off), USER/PASS, uidls file and Maildir delivery, keep on.</summary>
    public static string WriteMpopConfig(string path, string host, int port, string user, string password, string uidlsFile, string maildir)
    {
        var text = string.Join('\n',
            "defaults",
            "account bench",
            $"host {host}",
            $"port {port.ToString(CultureInfo.InvariantCulture)}",
            "tls off",
            "auth user",
            $"user {user}",
            $"password {password}",
            $"uidls_file {uidlsFile}",
            $"delivery maildir {maildir}",
            "keep on",
            "only_new on",
            // Deliver the bytes as served, as collector does (mpop prepends a Received: header by default).
            "received_header off",
            "account default : bench",
            "");
        File.WriteAllText(path, text);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite); // mpop refuses group/world-readable files with passwords
        return path;
    }

    /// <summary>Creates an empty Maildir (cur, new, tmp).</summary>
    public static void CreateMaildir(string path)
    {
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            Directory.CreateDirectory(Path.Combine(path, sub));
        }
    }

    /// <summary>SHA-256 (hex) of every message file in new/ and cur/.</summary>
    public static List<string> HashMaildir(string maildir)
    {
        var hashes = new List<string>();
        foreach (var sub in new[] { "new", "cur" })
        {
            var dir = Path.Combine(maildir, sub);
            if (!Directory.Exists(dir))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(dir))
            {
                hashes.Add(Sha256(File.ReadAllBytes(file)));
            }
        }

        return hashes;
    }

    /// <summary>The message with every CRLF turned into LF (how mpop writes a Maildir file).</summary>
    public static byte[] CrlfToLf(byte[] content)
    {
        var output = new byte[content.Length];
        var n = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'\r' && i + 1 < content.Length && content[i + 1] == (byte)'\n')
            {
                continue;
            }

            output[n++] = content[i];
        }

        return output.AsSpan(0, n).ToArray();
    }

    public static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>Compares multisets of hashes: (matching, missing, unexpected).</summary>
    public static (int Matching, int Missing, int Unexpected) CompareHashes(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var left = expected.GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count());
        var matching = 0;
        var unexpected = 0;
        foreach (var h in actual)
        {
            if (left.TryGetValue(h, out var n) && n > 0)
            {
                left[h] = n - 1;
                matching++;
            }
            else
            {
                unexpected++;
            }
        }

        return (matching, left.Values.Sum(), unexpected);
    }

    /// <summary>The session time collector prints on its per-account line ("..., 1.23s").</summary>
    public static double? CollectorSessionSeconds(string output)
    {
        var m = SessionTime().Match(output);
        return m.Success ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Messages collected according to collector's total line ("N message(s)").</summary>
    public static int? CollectorCollected(string output)
    {
        var m = CollectedTotal().Match(output);
        return m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;
    }

    /// <summary>"commit abc1234" plus "+ N uncommitted file(s) under src/" when the tree is dirty: what was measured.</summary>
    public static string CollectorRevision(string? repo)
    {
        if (repo is null)
        {
            return "revision unknown";
        }

        try
        {
            static string Git(string repo, params string[] args)
            {
                var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
                info.ArgumentList.Add("-C");
                info.ArgumentList.Add(repo);
                foreach (var a in args)
                {
                    info.ArgumentList.Add(a);
                }

                using var p = Process.Start(info)!;
                var text = p.StandardOutput.ReadToEnd();
                p.WaitForExit();
                return text.Trim();
            }

            var head = Git(repo, "rev-parse", "--short", "HEAD");
            var dirty = Git(repo, "status", "--porcelain", "--", "src").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
            return dirty == 0 ? $"commit {head}" : $"commit {head} + {dirty} uncommitted file(s) under src/";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "revision unknown";
        }
    }

    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    public static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // temp leftovers are harmless
        }
    }

    public static string Indent(string text, string prefix = "    ")
    {
        var sb = new StringBuilder();
        foreach (var line in text.TrimEnd().Split('\n'))
        {
            sb.Append(prefix).Append(line.TrimEnd('\r')).Append('\n');
        }

        return sb.ToString();
    }

    [GeneratedRegex(@" ok: collected \d+ .*?, (\d+(?:\.\d+)?)s")]
    private static partial Regex SessionTime();

    [GeneratedRegex(@"; (\d+) message\(s\)")]
    private static partial Regex CollectedTotal();
}
