using System.Globalization;

using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Testing;

/// <summary>
/// A private PostgreSQL for tests: <c>initdb</c> in a fresh temp directory, the server bound to 127.0.0.1 on a
/// reserved port with trust authentication, run as the unprivileged mail user (postgres refuses root) through
/// <c>runuser</c>, stopped and deleted on dispose. Needs root and the binaries linked by scripts/install-test-deps.sh.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const int StartAttempts = 3;
    private readonly SystemMailUser owner;
    private int disposed;

    private PostgresServer(string rootDirectory, int port, SystemMailUser owner)
    {
        RootDirectory = rootDirectory;
        Port = port;
        this.owner = owner;
    }

    /// <summary>The temp directory holding the data directory, socket directory and server log.</summary>
    public string RootDirectory { get; }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The server's log file (quoted in start errors).</summary>
    public string LogPath => Path.Combine(RootDirectory, "postgres.log");

    /// <summary>An Npgsql connection string for the superuser's default database (trust auth: no password).</summary>
    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=true");

    private string DataDirectory => Path.Combine(RootDirectory, "data");

    /// <summary>Initialises and starts a private server; returns once it accepts connections.</summary>
    /// <exception cref="InvalidOperationException">Not root, binaries missing, or the server did not start (message has the log tail).</exception>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        if (!OperatingSystem.IsLinux() || NativeMethods.EffectiveUserId() != 0)
        {
            throw new InvalidOperationException("PostgresServer needs Linux and root (it runs postgres as the unprivileged mail user via runuser); run tests via scripts/test.sh as root.");
        }

        var owner = await SystemMailUser.EnsureAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            var root = Directory.CreateTempSubdirectory("cc-pg-").FullName;
            var server = new PostgresServer(root, PortAllocator.Reserve(), owner);
            try
            {
                await server.InitializeAsync(cancellationToken).ConfigureAwait(false);
                await server.StartServerAsync(cancellationToken).ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException) when (attempt < StartAttempts && server.PortTaken())
            {
                await server.DisposeAsync().ConfigureAwait(false);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }
    }

    /// <summary>Stops the server (fast shutdown) and deletes its directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        if (File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            if (TestArtifacts.Directory is not null)
            {
                // Every journal row, for the secrets scan after the suite (the run's output is what it keeps).
                await AsOwnerAsync("pg_dumpall", ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "--data-only"], TimeSpan.FromMinutes(2), CancellationToken.None).ConfigureAwait(false);
            }

            try
            {
                await AsOwnerAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"], TimeSpan.FromSeconds(60), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                // Best effort: the directory goes anyway; a stray server dies with its data directory's lock.
            }
        }

        PortAllocator.Release(Port);
        try
        {
            Directory.Delete(RootDirectory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temp directory is harmless.
        }
    }

    /// <summary>Stops the server as an outage would for its clients (fast shutdown: sessions ended, committed data kept); <see cref="RestartAsync"/> brings it back.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default) =>
        Require(await AsOwnerAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "stop"], TimeSpan.FromSeconds(60), cancellationToken).ConfigureAwait(false), "pg_ctl stop");

    /// <summary>Starts the server again on the same port and data after <see cref="StopAsync"/>.</summary>
    public Task RestartAsync(CancellationToken cancellationToken = default) => StartServerAsync(cancellationToken);

    /// <inheritdoc />
    public override string ToString() => $"PostgreSQL 127.0.0.1:{Port} root={RootDirectory}";

    private async Task InitializeAsync(CancellationToken cancellationToken)
    {
        // The owner must reach and own everything below the root (CreateTempSubdirectory makes it 0700 for root).
        var chown = await ProcessRunner.RunAsync("chown", ["-R", $"{owner.Uid}:{owner.Gid}", RootDirectory], TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        Require(chown, "chown");
        var init = await AsOwnerAsync(
            "initdb",
            ["-D", DataDirectory, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"],
            TimeSpan.FromMinutes(2),
            cancellationToken).ConfigureAwait(false);
        Require(init, "initdb");
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        // Test settings: loopback only, sockets in our directory, durability off (the data dies with the test).
        var options = string.Create(
            CultureInfo.InvariantCulture,
            $"-p {Port} -k {RootDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
        var start = await AsOwnerAsync("pg_ctl", ["-D", DataDirectory, "-l", LogPath, "-o", options, "-w", "-t", "60", "start"], TimeSpan.FromSeconds(90), cancellationToken).ConfigureAwait(false);
        Require(start, "pg_ctl start");
    }

    private bool PortTaken() => File.Exists(LogPath) && File.ReadAllText(LogPath).Contains("Address already in use", StringComparison.Ordinal);

    private void Require(ProcessResult result, string step)
    {
        if (result.ExitCode == 0)
        {
            return;
        }

        var log = File.Exists(LogPath) ? string.Join(Environment.NewLine, File.ReadLines(LogPath).TakeLast(20)) : "(no log)";
        throw new InvalidOperationException($"PostgresServer: {step} failed ({result.ExitCode}): {result.Combined}\nlog tail:\n{log}");
    }

    private Task<ProcessResult> AsOwnerAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken) =>
        ProcessRunner.RunAsync("runuser", ["-u", owner.Name, "--", ProcessRunner.ResolveExecutable(program), .. arguments], timeout, cancellationToken);
}
