using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Testing;

/// <summary>
/// A private Dovecot POP3 server under a fresh temp directory (own config, ports, certificate, users and
/// Maildirs), so tests talk to a real server without touching the system service. Needs root (the master
/// binds and switches users) and the packages from scripts/install-test-deps.sh.
/// </summary>
public sealed class DovecotServer : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private static long dropCounter;
    private static long lastDropMicros;

    private readonly SemaphoreSlim passwdGate = new(1, 1);
    private readonly Process master;
    private readonly bool ownsCertificate;
    private readonly bool keepDirectory;
    private int disposed;

    private DovecotServer(
        string rootDirectory, string configPath, string instanceName, int plainPort, int tlsPort, TestCertificate certificate, bool ownsCertificate,
        SystemMailUser mailUser, Process master, bool keepDirectory)
    {
        RootDirectory = rootDirectory;
        ConfigPath = configPath;
        InstanceName = instanceName;
        PlainPort = plainPort;
        TlsPort = tlsPort;
        Certificate = certificate;
        this.ownsCertificate = ownsCertificate;
        MailUser = mailUser;
        this.master = master;
        this.keepDirectory = keepDirectory;
    }

    /// <summary>The LMTP port on <see cref="Host"/> when <see cref="DovecotServerOptions.EnableLmtp"/> is on; 0 otherwise.</summary>
    public int LmtpPort { get; private init; }

    /// <summary>The address Dovecot listens on.</summary>
    public string Host => "127.0.0.1";

    /// <summary>Plain POP3 port (STLS is offered there).</summary>
    public int PlainPort { get; }

    /// <summary>Implicit-TLS POP3S port.</summary>
    public int TlsPort { get; }

    /// <summary>The certificate Dovecot presents on both ports.</summary>
    public TestCertificate Certificate { get; }

    /// <summary>The system account owning the mailboxes.</summary>
    public SystemMailUser MailUser { get; }

    /// <summary>Uid owning the mailboxes.</summary>
    public int MailUid => MailUser.Uid;

    /// <summary>Gid owning the mailboxes.</summary>
    public int MailGid => MailUser.Gid;

    /// <summary>The temp directory holding config, state, logs and homes.</summary>
    public string RootDirectory { get; }

    /// <summary>The generated dovecot.conf (for <c>doveadm -c</c>).</summary>
    public string ConfigPath { get; }

    /// <summary>Dovecot's instance_name (unique; its processes are named "dovecot-INSTANCE/...").</summary>
    public string InstanceName { get; }

    /// <summary>Dovecot's log file (logins, auth failures, disconnect statistics).</summary>
    public string LogPath => Path.Combine(RootDirectory, "dovecot.log");

    private string PasswdDirectory => Path.Combine(RootDirectory, "users.d");

    private string HomesDirectory => Path.Combine(RootDirectory, "home");

    /// <summary>
    /// Starts a private Dovecot and returns once the plain port greets with <c>+OK</c> and the TLS port accepts.
    /// Retries with new ports if another process grabbed one in between.
    /// </summary>
    /// <exception cref="InvalidOperationException">Not root, config invalid, or Dovecot did not become ready (message has the log tail).</exception>
    public static async Task<DovecotServer> StartAsync(DovecotServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DovecotServerOptions();
        if (!OperatingSystem.IsLinux() || NativeMethods.EffectiveUserId() != 0)
        {
            throw new InvalidOperationException(
                "DovecotServer needs Linux and root (Dovecot's master binds ports and switches to the mail user); run tests via scripts/test.sh as root.");
        }

        var mailUser = await SystemMailUser.EnsureAsync(options.MailUserName, cancellationToken).ConfigureAwait(false);
        var ownsCertificate = options.Certificate is null;
        var certificate = options.Certificate ?? TestCertificate.CreateLocalhost();
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                var root = CreateRootDirectory();
                try
                {
                    return await StartOnceAsync(root, options, certificate, ownsCertificate, mailUser, cancellationToken).ConfigureAwait(false);
                }
                catch (PortInUseException) when (attempt < StartAttempts)
                {
                    TryDeleteDirectory(root);
                }
                catch
                {
                    if (!options.KeepDirectory)
                    {
                        TryDeleteDirectory(root);
                    }

                    throw;
                }
            }
        }
        catch
        {
            if (ownsCertificate)
            {
                certificate.Dispose();
            }

            throw;
        }
    }

    /// <summary>
    /// Adds a POP3 account (its own passwd-file under <c>users.d</c>, visible to Dovecot at once) with an
    /// empty Maildir owned by the mail user.
    /// </summary>
    public async Task AddUserAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        ValidateField(user, nameof(user));
        ValidateField(password, nameof(password));
        if (user.Contains('/', StringComparison.Ordinal) || user is "." or "..")
        {
            throw new ArgumentException("User names must not contain '/'.", nameof(user));
        }

        await passwdGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var home = HomePath(user);
            if (Directory.Exists(home))
            {
                throw new InvalidOperationException($"User '{user}' already exists on this Dovecot.");
            }

            CreateOwnedDirectory(home);
            EnsureMaildir(user);

            // One passwd-file per user (path "users.d/%u"): Dovecot stats a passwd-file at most once per
            // second, so appending to one shared file made a just-added user invisible for up to a second.
            // A new user's file is read fresh at its first lookup. Written then renamed: never read half-written.
            var line = string.Create(CultureInfo.InvariantCulture, $"{user}:{{PLAIN}}{password}:{MailUid}:{MailGid}::{home}::\n");
            var temporary = Path.Combine(PasswdDirectory, ".tmp-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(temporary, line, cancellationToken).ConfigureAwait(false);
            SetMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(temporary, Path.Combine(PasswdDirectory, user));
        }
        finally
        {
            passwdGate.Release();
        }
    }

    /// <summary>Changes a user's password (its passwd-file rewritten and renamed into place: read whole at the next login).</summary>
    public async Task SetPasswordAsync(string user, string password, CancellationToken cancellationToken = default)
    {
        ValidateField(user, nameof(user));
        ValidateField(password, nameof(password));
        await passwdGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"{user}:{{PLAIN}}{password}:{MailUid}:{MailGid}::{HomePath(user)}::\n");
            var temporary = Path.Combine(PasswdDirectory, ".tmp-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(temporary, line, cancellationToken).ConfigureAwait(false);
            SetMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            File.Move(temporary, Path.Combine(PasswdDirectory, user), overwrite: true);
        }
        finally
        {
            passwdGate.Release();
        }
    }

    /// <summary>Adds an account with a unique name (prefix plus random suffix) and a random password.</summary>
    public async Task<TestMailUser> CreateUserAsync(string prefix = "user", CancellationToken cancellationToken = default)
    {
        var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}-{Interlocked.Increment(ref dropCounter)}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
        var password = TestSecrets.Password("pop3"); // marked, so the secrets scan after the suite finds it anywhere
        await AddUserAsync(name, password, cancellationToken).ConfigureAwait(false);
        return new TestMailUser(name, password);
    }

    /// <summary>
    /// Delivers <paramref name="rfc822"/> as-is into the user's <c>Maildir/new</c> (written in tmp, then renamed),
    /// owned by the mail user. File names sort in drop order, so message numbers follow drop order.
    /// </summary>
    /// <returns>The path of the delivered file.</returns>
    public string DropMessage(string user, byte[] rfc822)
    {
        ArgumentNullException.ThrowIfNull(rfc822);
        EnsureMaildir(user);
        var maildir = MaildirPath(user);
        var name = NextMaildirName();
        var tmp = Path.Combine(maildir, "tmp", name);
        var target = Path.Combine(maildir, "new", name);
        File.WriteAllBytes(tmp, rfc822);
        NativeMethods.Chown(tmp, MailUid, MailGid);
        SetMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(tmp, target);
        return target;
    }

    /// <summary>Delivers a generated message; see <see cref="DropMessage(string, byte[])"/>.</summary>
    public string DropMessage(string user, TestMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return DropMessage(user, message.Content);
    }

    /// <summary>Messages in the user's Maildir (new + cur): what is left on the server.</summary>
    public int CountMessages(string user)
    {
        var maildir = MaildirPath(user);
        return CountFiles(Path.Combine(maildir, "new")) + CountFiles(Path.Combine(maildir, "cur"));
    }

    /// <summary>The user's Maildir (<c>home/Maildir</c>).</summary>
    public string MaildirPath(string user)
    {
        ValidateField(user, nameof(user));
        return Path.Combine(HomePath(user), "Maildir");
    }

    /// <summary>The whole Dovecot log so far (empty if nothing was logged yet).</summary>
    public async Task<string> ReadLogAsync(CancellationToken cancellationToken = default)
    {
        if (!File.Exists(LogPath))
        {
            return string.Empty;
        }

        var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Number of log lines containing <paramref name="text"/> (ordinal).</summary>
    public async Task<int> CountLogLinesAsync(string text, CancellationToken cancellationToken = default)
    {
        var log = await ReadLogAsync(cancellationToken).ConfigureAwait(false);
        return log.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
    }

    /// <summary>Successful POP3 logins of <paramref name="user"/> logged so far (<c>Login: user=&lt;user&gt;</c>).</summary>
    public Task<int> CountLoginsAsync(string user, CancellationToken cancellationToken = default) =>
        CountLogLinesAsync($"Login: user=<{user}>", cancellationToken);

    /// <summary>
    /// Waits until at least <paramref name="count"/> log lines contain <paramref name="text"/> (Dovecot logs
    /// asynchronously, so a line may lag the client's view a little). Polls; throws <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<int> WaitForLogLinesAsync(string text, int count = 1, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(10);
        while (true)
        {
            var found = await CountLogLinesAsync(text, cancellationToken).ConfigureAwait(false);
            if (found >= count)
            {
                return found;
            }

            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Expected {count} log line(s) with '{text}', found {found} within {limit}.{Environment.NewLine}{await LogTailAsync().ConfigureAwait(false)}");
            }

            await Task.Delay(25, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops Dovecot (doveadm stop, then kill if needed) and removes the temp directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        await StopMasterAsync(master, ConfigPath, InstanceName).ConfigureAwait(false);
        master.Dispose();
        passwdGate.Dispose();
        if (ownsCertificate)
        {
            Certificate.Dispose();
        }

        if (!keepDirectory)
        {
            TryDeleteDirectory(RootDirectory);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"Dovecot {Host} pop3={PlainPort} pop3s={TlsPort} root={RootDirectory}";

    private static async Task<DovecotServer> StartOnceAsync(
        string root, DovecotServerOptions options, TestCertificate certificate, bool ownsCertificate, SystemMailUser mailUser, CancellationToken cancellationToken)
    {
        var plainPort = PortAllocator.Reserve();
        var tlsPort = PortAllocator.Reserve();
        var lmtpPort = options.EnableLmtp ? PortAllocator.Reserve() : 0;
        var (certPath, keyPath) = certificate.WritePemFiles(Path.Combine(root, "ssl"));
        Directory.CreateDirectory(Path.Combine(root, "home"));
        Directory.CreateDirectory(Path.Combine(root, "state"));
        Directory.CreateDirectory(Path.Combine(root, "users.d"));

        var configPath = Path.Combine(root, "dovecot.conf");
        var instance = "cc-test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
        var config = DovecotConfig(root, instance, plainPort, tlsPort, certPath, keyPath, options.ExtraConfigLines);
        if (lmtpPort != 0)
        {
            config += LmtpConfig(lmtpPort);
        }

        await File.WriteAllTextAsync(configPath, config, cancellationToken).ConfigureAwait(false);

        var check = await ProcessRunner.RunAsync("doveconf", ["-c", configPath, "-n"], TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        if (check.ExitCode != 0)
        {
            throw new InvalidOperationException($"doveconf rejected the generated config {configPath}: {check.Combined}");
        }

        var master = StartMaster(configPath, Path.Combine(root, "master.out"));
        try
        {
            await WaitUntilReadyAsync(master, root, plainPort, tlsPort, options.StartupTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await StopMasterAsync(master, configPath, instance).ConfigureAwait(false);
            master.Dispose();
            throw;
        }

        return new DovecotServer(root, configPath, instance, plainPort, tlsPort, certificate, ownsCertificate, mailUser, master, options.KeepDirectory)
        {
            LmtpPort = lmtpPort,
        };
    }

    private static string DovecotConfig(string root, string instance, int plainPort, int tlsPort, string certPath, string keyPath, IEnumerable<string> extra)
    {
        var users = Path.Combine(root, "users.d", "%u");
        var text = new StringBuilder()
            .AppendLine("# Generated by CollectorCluster.Testing.DovecotServer: a private test instance.")
            .AppendLine(CultureInfo.InvariantCulture, $"instance_name = {instance}")
            .AppendLine(CultureInfo.InvariantCulture, $"base_dir = {Path.Combine(root, "run")}")
            .AppendLine(CultureInfo.InvariantCulture, $"state_dir = {Path.Combine(root, "state")}")
            .AppendLine(CultureInfo.InvariantCulture, $"log_path = {Path.Combine(root, "dovecot.log")}")
            .AppendLine("protocols = pop3")
            .AppendLine("listen = 127.0.0.1")
            .AppendLine("ssl = yes")
            .AppendLine(CultureInfo.InvariantCulture, $"ssl_cert = <{certPath}")
            .AppendLine(CultureInfo.InvariantCulture, $"ssl_key = <{keyPath}")
            .AppendLine("ssl_min_protocol = TLSv1.2")
            .AppendLine("disable_plaintext_auth = no")
            .AppendLine("auth_mechanisms = plain login")
            .AppendLine("auth_verbose = yes")
            .AppendLine("first_valid_uid = 1")
            .AppendLine("default_internal_user = dovecot")
            .AppendLine("default_login_user = dovenull")
            .AppendLine("mail_location = maildir:~/Maildir")
            .AppendLine("pop3_uidl_format = %08Xu%08Xv")
            .AppendLine("passdb {")
            .AppendLine("  driver = passwd-file")
            .AppendLine(CultureInfo.InvariantCulture, $"  args = scheme=PLAIN username_format=%u {users}")
            .AppendLine("}")
            .AppendLine("userdb {")
            .AppendLine("  driver = passwd-file")
            .AppendLine(CultureInfo.InvariantCulture, $"  args = username_format=%u {users}")
            .AppendLine("}")
            .AppendLine("service pop3-login {")
            .AppendLine("  inet_listener pop3 {")
            .AppendLine(CultureInfo.InvariantCulture, $"    port = {plainPort}")
            .AppendLine("  }")
            .AppendLine("  inet_listener pop3s {")
            .AppendLine(CultureInfo.InvariantCulture, $"    port = {tlsPort}")
            .AppendLine("    ssl = yes")
            .AppendLine("  }")
            .AppendLine("}");
        foreach (var line in extra)
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }

    // Appended after the extra lines: LMTP on its own port, recipients looked up by local part (RCPT TO:<user@any.domain>).
    private static string LmtpConfig(int lmtpPort) =>
        new StringBuilder()
            .AppendLine("protocols = $protocols lmtp")
            .AppendLine("protocol lmtp {")
            .AppendLine("  auth_username_format = %Ln")
            .AppendLine("}")
            .AppendLine("service lmtp {")
            .AppendLine("  inet_listener lmtp {")
            .AppendLine("    address = 127.0.0.1")
            .AppendLine(CultureInfo.InvariantCulture, $"    port = {lmtpPort}")
            .AppendLine("  }")
            .AppendLine("}")
            .ToString();

    private static Process StartMaster(string configPath, string outputPath) =>
        ProcessRunner.StartDaemon("dovecot", ["-F", "-c", configPath], outputPath);

    private static async Task WaitUntilReadyAsync(
        Process master, string root, int plainPort, int tlsPort, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string lastError = "no attempt yet";
        while (clock.Elapsed < timeout)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (master.HasExited)
            {
                await master.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                var details = await DescribeFailureAsync(root).ConfigureAwait(false);
                if (details.Contains("Address already in use", StringComparison.Ordinal))
                {
                    throw new PortInUseException(details);
                }

                throw new InvalidOperationException($"Dovecot exited with code {master.ExitCode} during startup.{Environment.NewLine}{details}");
            }

            try
            {
                var greeting = await ReadGreetingAsync(plainPort, cancellationToken).ConfigureAwait(false);
                if (greeting.StartsWith("+OK", StringComparison.Ordinal))
                {
                    using var tls = new TcpClient();
                    await tls.ConnectAsync("127.0.0.1", tlsPort, cancellationToken).ConfigureAwait(false);
                    return;
                }

                lastError = $"unexpected greeting '{greeting}'";
            }
            catch (Exception e) when (e is SocketException or IOException or TimeoutException)
            {
                lastError = e.Message;
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException(
            $"Dovecot did not greet on 127.0.0.1:{plainPort} within {timeout} (last: {lastError}).{Environment.NewLine}{await DescribeFailureAsync(root).ConfigureAwait(false)}");
    }

    private static async Task<string> ReadGreetingAsync(int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port, timeout.Token).ConfigureAwait(false);
            using var reader = new StreamReader(client.GetStream(), Encoding.ASCII);
            var line = await reader.ReadLineAsync(timeout.Token).ConfigureAwait(false);
            await client.GetStream().WriteAsync("QUIT\r\n"u8.ToArray(), timeout.Token).ConfigureAwait(false);
            return line ?? throw new IOException("Connection closed before the greeting.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException("No greeting within 5 s.");
        }
    }

    private static async Task<string> DescribeFailureAsync(string root)
    {
        var outputPath = Path.Combine(root, "master.out");
        var console = File.Exists(outputPath) ? (await File.ReadAllTextAsync(outputPath).ConfigureAwait(false)).Trim() : string.Empty;
        var log = Path.Combine(root, "dovecot.log");
        var tail = File.Exists(log) ? Tail(await File.ReadAllTextAsync(log).ConfigureAwait(false), 40) : "(no log file)";
        return $"dovecot output: {(console.Length == 0 ? "(none)" : console)}{Environment.NewLine}log tail ({log}):{Environment.NewLine}{tail}";
    }

    private async Task<string> LogTailAsync() => "log tail:" + Environment.NewLine + Tail(await ReadLogAsync().ConfigureAwait(false), 40);

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    private static async Task StopMasterAsync(Process master, string configPath, string instance)
    {
        try
        {
            if (!master.HasExited)
            {
                await ProcessRunner.RunAsync("doveadm", ["-c", configPath, "stop"], TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
        {
            // Fall through to kill below.
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await master.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            master.Kill(entireProcessTree: true);
        }

        KillLeftovers(instance);
    }

    /// <summary>
    /// Kills this instance's processes that outlive the master (a login process holding a client connection
    /// lingers up to a minute). Dovecot names them "dovecot-INSTANCE/service", and the instance name is ours.
    /// </summary>
    private static void KillLeftovers(string instance)
    {
        var prefix = Encoding.ASCII.GetBytes($"dovecot-{instance}/");
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllBytes(Path.Combine(directory, "cmdline"));
                if (cmdline.AsSpan().StartsWith(prefix))
                {
                    using var process = Process.GetProcessById(pid);
                    process.Kill();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // The process ended meanwhile.
            }
        }
    }

    private static string CreateRootDirectory()
    {
        var root = Directory.CreateTempSubdirectory("cc-dovecot-").FullName;

        // Dovecot's unprivileged processes (dovecot, dovenull, the mail user) must traverse it.
        SetMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return root;
    }

    private static void TryDeleteDirectory(string path)
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
            // Leftovers in the temp directory are harmless.
        }
    }

    private static void ValidateField(string value, string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, name);
        if (value.AsSpan().IndexOfAny(":\r\n\0") >= 0)
        {
            throw new ArgumentException("Must not contain ':', CR, LF or NUL (passwd-file format).", name);
        }
    }

    private static int CountFiles(string directory) =>
        Directory.Exists(directory) ? Directory.EnumerateFiles(directory).Count() : 0;

    private static string NextMaildirName()
    {
        // Strictly increasing (seconds, microseconds) so Dovecot assigns UIDs in drop order.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        long micros;
        long seen;
        do
        {
            seen = Interlocked.Read(ref lastDropMicros);
            micros = Math.Max(now, seen + 1);
        }
        while (Interlocked.CompareExchange(ref lastDropMicros, micros, seen) != seen);

        var sequence = Interlocked.Increment(ref dropCounter);
        return string.Create(CultureInfo.InvariantCulture, $"{micros / 1_000_000}.M{micros % 1_000_000}P{Environment.ProcessId}Q{sequence}.cc-testing");
    }

    private static void SetMode(string path, UnixFileMode mode)
    {
        // Only Linux reaches here (StartAsync checks); the guard satisfies the platform analyzer.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    private string HomePath(string user) => Path.Combine(HomesDirectory, user);

    private void EnsureMaildir(string user)
    {
        var home = HomePath(user);
        if (!Directory.Exists(home))
        {
            throw new InvalidOperationException($"Unknown user '{user}': call AddUserAsync first.");
        }

        var maildir = MaildirPath(user);
        CreateOwnedDirectory(maildir);
        foreach (var sub in new[] { "cur", "new", "tmp" })
        {
            CreateOwnedDirectory(Path.Combine(maildir, sub));
        }
    }

    private void CreateOwnedDirectory(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(path);
        SetMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        NativeMethods.Chown(path, MailUid, MailGid);
    }
}
