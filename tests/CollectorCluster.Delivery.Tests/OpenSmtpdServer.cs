using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Delivery.Tests;

/// <summary>
/// A private OpenSMTPD (the opensmtpd package, never its system service) in the foreground on a reserved
/// 127.0.0.1 port, relaying mail for <c>*@example.org</c> (any local part, mapped to the system mail user for smtpd's own user check; the LMTP RCPT keeps the original address and Dovecot decides whether it exists) to an LMTP server: a real SMTP server for the SMTP
/// dialect. OpenSMTPD keeps its queue in the compiled-in /var/spool/smtpd, so only one may run at a time.
/// </summary>
internal sealed class OpenSmtpdServer : IAsyncDisposable
{
    private const string Binary = "/usr/sbin/smtpd";

    private readonly Process _process;
    private readonly TempDirectory _directory;

    private OpenSmtpdServer(Process process, TempDirectory directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>The SMTP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>What smtpd printed (for failure messages).</summary>
    public string Output => File.Exists(OutputPath(_directory)) ? File.ReadAllText(OutputPath(_directory)) : "";

    /// <summary>Starts smtpd relaying <c>@example.org</c> to the LMTP server at 127.0.0.1:<paramref name="lmtpPort"/>.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static async Task<OpenSmtpdServer> StartAsync(int lmtpPort, CancellationToken cancellationToken)
    {
        var directory = new TempDirectory();
        var port = PortAllocator.Reserve();
        var config = directory.Combine("smtpd.conf");
        await File.WriteAllTextAsync(
            config,
            string.Create(CultureInfo.InvariantCulture, $$"""
                listen on 127.0.0.1 port {{port}}
                action "lmtp" lmtp "127.0.0.1:{{lmtpPort}}" rcpt-to virtual { "@example.org" = "{{SystemMailUser.DefaultName}}" }
                match from any for domain "example.org" action "lmtp"

                """),
            cancellationToken);
        File.SetUnixFileMode(config, UnixFileMode.UserRead | UnixFileMode.UserWrite); // smtpd refuses a world-readable config

        var check = await ProcessRunner.RunAsync(Binary, ["-n", "-f", config], TimeSpan.FromMinutes(1), cancellationToken);
        if (check.ExitCode != 0)
        {
            throw new InvalidOperationException($"smtpd rejected {config}: {check.StandardOutput} {check.StandardError}");
        }

        var process = ProcessRunner.StartDaemon(Binary, ["-d", "-f", config], OutputPath(directory));
        var server = new OpenSmtpdServer(process, directory, port);
        try
        {
            await server.WaitForGreetingAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: smtpd shuts its children down cleanly.
            ProcessRunner.Signal(_process.Id, "TERM");

            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private static string OutputPath(TempDirectory directory) => directory.Combine("smtpd.out");

    private async Task WaitForGreetingAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"smtpd exited with {_process.ExitCode}: {Output}");
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port, limit.Token);
                using var reader = new StreamReader(client.GetStream());
                var greeting = await reader.ReadLineAsync(limit.Token);
                if (greeting?.StartsWith("220", StringComparison.Ordinal) == true)
                {
                    return;
                }
            }
            catch (SocketException)
            {
                // Not listening yet: retry below.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"smtpd did not greet on 127.0.0.1:{Port}: {Output}");
            }

            await Task.Delay(100, limit.Token);
        }
    }
}
