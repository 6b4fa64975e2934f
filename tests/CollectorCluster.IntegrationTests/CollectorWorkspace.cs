using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Node.Commands;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.IntegrationTests;

/// <summary>How one account of a node file points at the test Dovecot.</summary>
internal sealed record AccountSpec(string Id, TestMailUser User, int Port)
{
    public string Ssl { get; init; } = "none";

    /// <summary>The pop3-server (another 127.0.0.x stands for another server).</summary>
    public string Host { get; init; } = "127.0.0.1";

    public string? Password { get; init; }

    public bool LeaveMailOnServer { get; init; }

    public bool DownloadSmallestFirst { get; init; } = true;

    public bool? VerifyCertificate { get; init; }

    public string? CertificateSha256 { get; init; }

    /// <summary>Raw HOCON lines added inside the account object.</summary>
    public string Extra { get; init; } = "";
}

/// <summary>What one <c>collector once</c> run returned.</summary>
internal sealed record OnceResult(int ExitCode, string Output, string Error = "")
{
    /// <summary>The <c>collected N</c> count of the account line for <paramref name="accountId"/>.</summary>
    public int Collected(string accountId)
    {
        var line = Output.Split('\n').SingleOrDefault(l => l.StartsWith(accountId + " ", StringComparison.Ordinal))
            ?? throw new Xunit.Sdk.XunitException($"No output line for account {accountId}:\n{this}");
        const string marker = "collected ";
        var start = line.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No 'collected N' in: {line}");
        start += marker.Length;
        var end = start;
        while (end < line.Length && char.IsAsciiDigit(line[end]))
        {
            end++;
        }

        return int.Parse(line.AsSpan(start, end - start), CultureInfo.InvariantCulture);
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
}

/// <summary>
/// One test's private node: a temp directory holding the node file, the SQLite journal (state-directory) and the
/// destination Maildir, plus ways to run <c>collector once</c> in process or as the built binary.
/// </summary>
internal sealed class CollectorWorkspace : IDisposable
{
    public CollectorWorkspace()
    {
        Root = Directory.CreateTempSubdirectory("cc-it-").FullName;
        Maildir = Path.Combine(Root, "Maildir");
        NodeFile = Path.Combine(Root, "node.hocon");
    }

    public string Root { get; }

    public string Maildir { get; }

    public string NodeFile { get; }

    public string JournalFile => Path.Combine(Root, "state", "journal.db");

    /// <summary>Where the node keeps its command-host token (the state directory's <c>command-host.token</c>).</summary>
    public string TokenFile => Path.Combine(Root, "state", CollectorCluster.Wire.CommandWire.TokenFileName);

    /// <summary>The built collector (the Node project's output, copied next to this assembly).</summary>
    public static string CollectorDll => Path.Combine(AppContext.BaseDirectory, "collector.dll");

    public void WriteNodeFile(params AccountSpec[] accounts)
    {
        var text = new StringBuilder()
            .AppendLine("collector {")
            .AppendLine(CultureInfo.InvariantCulture, $"  state-directory = \"{Path.Combine(Root, "state")}\"")
            // No test takes the shared default command port (9110): a node already running there would fail it.
            .AppendLine("  command-host.port = 0")
            .AppendLine("  accounts = [");
        foreach (var a in accounts)
        {
            text.AppendLine("    {")
                .AppendLine(CultureInfo.InvariantCulture, $"      id = \"{a.Id}\"")
                .AppendLine(CultureInfo.InvariantCulture, $"      pop3-server = \"{a.Host}\"")
                .AppendLine(CultureInfo.InvariantCulture, $"      port = {a.Port}")
                .AppendLine(CultureInfo.InvariantCulture, $"      pop3-account = \"{a.User.Name}\"")
                .AppendLine(CultureInfo.InvariantCulture, $"      password = \"{a.Password ?? a.User.Password}\"")
                .AppendLine(CultureInfo.InvariantCulture, $"      ssl = {a.Ssl}")
                .AppendLine(CultureInfo.InvariantCulture, $"      leave-mail-on-server = {(a.LeaveMailOnServer ? "on" : "off")}")
                .AppendLine(CultureInfo.InvariantCulture, $"      download-smallest-first = {(a.DownloadSmallestFirst ? "on" : "off")}")
                .AppendLine(CultureInfo.InvariantCulture, $"      mailbox = \"maildir:{Maildir}\"")
                .AppendLine("      connect-timeout = 20s")
                .AppendLine("      command-timeout = 30s");
            if (a.VerifyCertificate is { } verify)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"      verify-certificate = {(verify ? "on" : "off")}");
            }

            if (a.CertificateSha256 is { } pin)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"      certificate-sha256 = \"{pin}\"");
            }

            text.AppendLine(a.Extra).AppendLine("    }");
        }

        text.AppendLine("  ]").AppendLine("}");
        File.WriteAllText(NodeFile, text.ToString());
    }

    /// <summary>
    /// Turns on the node file's command host on a reserved loopback port (call after <see cref="WriteNodeFile"/>), and
    /// registers its token file so collectorctl runs against it find the token; returns <c>127.0.0.1:PORT</c>.
    /// </summary>
    public string ServeCommands(string nodeExtra = "")
    {
        var port = PortAllocator.Reserve();
        File.AppendAllText(NodeFile, $"collector.command-host.port = {port.ToString(CultureInfo.InvariantCulture)}\n{nodeExtra}\n");
        var at = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        CollectorCtl.RegisterTokenFile(at, TokenFile);
        return at;
    }

    /// <summary>Loads the node file and runs <c>once</c> in this process.</summary>
    public async Task<OnceResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var options = CollectorConfigLoader.Load(NodeFile);
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        var exit = await OnceCommand.RunAsync(options, output, limit.Token);
        return new OnceResult(exit, output.ToString());
    }

    /// <summary>Starts <c>dotnet collector.dll once --config NODEFILE</c> with stdout/stderr captured.</summary>
    public CollectorProcess StartProcess(params string[] arguments) => new(arguments.Length == 0 ? ["once", "--config", NodeFile] : arguments, Root);

    /// <summary>Starts the collector with <paramref name="arguments"/> and extra environment variables (a <c>password-env</c> secret).</summary>
    public CollectorProcess StartProcess(IReadOnlyDictionary<string, string> environment, params string[] arguments) => new(arguments, Root, environment);

    /// <summary>Runs the built collector to its end.</summary>
    public async Task<OnceResult> RunProcessAsync(CancellationToken cancellationToken, params string[] arguments)
    {
        using var process = StartProcess(arguments);
        return await process.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
    }

    /// <summary>Files in the destination Maildir's new/ and cur/ (what a mail reader sees).</summary>
    public IReadOnlyList<string> DeliveredFiles()
    {
        var files = new List<string>();
        foreach (var sub in new[] { "new", "cur" })
        {
            var dir = Path.Combine(Maildir, sub);
            if (Directory.Exists(dir))
            {
                files.AddRange(Directory.EnumerateFiles(dir));
            }
        }

        return files;
    }

    public int CountNew() => Directory.Exists(Path.Combine(Maildir, "new")) ? Directory.EnumerateFiles(Path.Combine(Maildir, "new")).Count() : 0;

    /// <summary>Waits (at most 90 s) until <paramref name="count"/> files are delivered; fails at once if <paramref name="daemon"/> has ended.</summary>
    public async Task WaitForFilesAsync(CollectorProcess daemon, int count)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(90));
        while (CountNew() < count)
        {
            Assert.False(daemon.HasExited, $"collector run ended early:\n{daemon.Output}");
            await Task.Delay(50, limit.Token);
        }
    }

    /// <summary>SHA-256 (hex) of every delivered file, as a sorted list (duplicates kept).</summary>
    public IReadOnlyList<string> DeliveredHashes() =>
        DeliveredFiles().Select(f => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))).Order(StringComparer.Ordinal).ToList();

    /// <summary>How often each Message-ID occurs among the delivered files.</summary>
    public IReadOnlyDictionary<string, int> DeliveredMessageIds()
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var file in DeliveredFiles())
        {
            var id = MessageHeaders.MessageIdOf(File.ReadAllBytes(file)) ?? "(none)";
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }

        return counts;
    }

    public static IReadOnlyList<string> Hashes(IEnumerable<TestMessage> messages) =>
        messages.Select(m => Convert.ToHexString(SHA256.HashData(m.Content))).Order(StringComparer.Ordinal).ToList();

    /// <summary>Asserts that the Maildir holds exactly these messages, each once, byte for byte.</summary>
    public void AssertHoldsExactly(IReadOnlyCollection<TestMessage> messages)
    {
        var ids = DeliveredMessageIds();
        var duplicated = ids.Where(kv => kv.Value > 1).Select(kv => $"{kv.Key} x{kv.Value}").ToList();
        Assert.True(duplicated.Count == 0, "Delivered more than once: " + string.Join(", ", duplicated.Take(10)));
        var missing = messages.Select(m => m.MessageId).Where(id => !ids.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} message(s) missing, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Equal(messages.Count, DeliveredFiles().Count);
        Assert.Equal(Hashes(messages), DeliveredHashes());
    }

    public void Dispose()
    {
        TestArtifacts.KeepFrom(Root); // journals, histories and MDA environments, for the secrets scan after the suite
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory is harmless.
        }
    }
}

/// <summary>The built collector running as a child process (<c>dotnet collector.dll ...</c>).</summary>
internal sealed class CollectorProcess(IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null) : IDisposable
{
    private readonly RunningProcess process = ProcessRunner.Start(ProcessRunner.Dotnet(CollectorWorkspace.CollectorDll, arguments, workingDirectory, environment));

    /// <summary>The process id (for /proc figures such as its resident memory).</summary>
    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public string Output => process.Output;

    /// <summary>SIGTERM, as systemd or Kubernetes stop a node: sessions finish the message in flight and commit.</summary>
    public void Terminate() => process.Signal("TERM");

    /// <summary>Any signal by name (<c>TERM</c>, <c>INT</c>, ...).</summary>
    public void Signal(string signal) => process.Signal(signal);

    /// <summary>SIGHUP, as an operator asks a daemon to reload its configuration.</summary>
    public void Hangup() => process.Signal("HUP");

    /// <summary>kill -9 of the whole tree (dotnet host and the app are one process; children too if any).</summary>
    public Task KillHardAsync() => process.KillTreeAsync();

    public async Task<OnceResult> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var exit = await process.WaitForExitAsync(timeout, cancellationToken);
        return new OnceResult(exit, process.Output, process.Error);
    }

    public void Dispose() => process.Dispose();
}
