using System.Globalization;
using System.Net;
using CollectorCluster.Node.Web;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.WebTests;

/// <summary>
/// One test's `collector run` process with the web console, the health listener and the command host on reserved
/// loopback ports, in a temp directory that holds its node file, state and the Maildir roots runtime accounts may
/// deliver to. A console user <see cref="AdminUser"/> with a fresh test password; SIGTERM and cleanup on dispose.
/// </summary>
internal sealed class WebNode : IAsyncDisposable
{
    public const string AdminUser = "admin";

    private static readonly HttpClient Http = new(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<int> ports;
    private RunningProcess? process;

    private WebNode(string root, List<int> ports)
    {
        Root = root;
        this.ports = ports;
    }

    public string Root { get; }

    public string NodeFile => Path.Combine(Root, "node.hocon");

    /// <summary>Where runtime accounts may deliver (collector.runtime-accounts.maildir-roots).</summary>
    public string MailRoot => Path.Combine(Root, "mail");

    public string TokenFile => Path.Combine(Root, "state", "command-host.token");

    public int WebPort => ports[0];

    public int HealthPort => ports[1];

    public int CommandPort => ports[2];

    public int RemotePort => ports[3];

    public string Url => $"http://127.0.0.1:{WebPort.ToString(CultureInfo.InvariantCulture)}";

    public string HealthUrl => $"http://127.0.0.1:{HealthPort.ToString(CultureInfo.InvariantCulture)}";

    public string CtlAddress => $"127.0.0.1:{CommandPort.ToString(CultureInfo.InvariantCulture)}";

    public string RemoteAddress => $"akka.tcp://collector@127.0.0.1:{RemotePort.ToString(CultureInfo.InvariantCulture)}";

    public string AdminPassword { get; } = TestSecrets.Password("web");

    public string Output => process is null ? "" : process.Output + process.Error;

    /// <summary>Writes the node file (accounts and extra node keys as HOCON) without starting the node.</summary>
    public static WebNode Create(string accounts = "", string extra = "", string akka = "")
    {
        var node = new WebNode(Directory.CreateTempSubdirectory("cc-web-").FullName, [.. PortAllocator.Reserve(4)]);
        Directory.CreateDirectory(node.MailRoot);
        var hash = PasswordHash.Create(node.AdminPassword, PasswordHash.MinIterations); // the least allowed: quick logins in tests
        File.WriteAllText(node.NodeFile, $$"""
            collector {
              state-directory = "{{Path.Combine(node.Root, "state")}}"
              command-host.port = {{node.CommandPort}}
              web { port = {{node.WebPort}}, refresh = 500ms, users = [ { name = {{AdminUser}}, password-hash = "{{hash}}" } ] }
              health.port = {{node.HealthPort}}
              runtime-accounts.maildir-roots = [ "{{node.MailRoot}}" ]
              jitter = 0
              retry { base = 1h, max = 1h }
              accounts = [ {{accounts}} ]
              {{extra}}
            }
            akka.remote.dot-netty.tcp.port = {{node.RemotePort}}
            {{akka}}
            """);
        CollectorCtl.RegisterTokenFile(node.CtlAddress, node.TokenFile);
        return node;
    }

    /// <summary>Starts <c>collector run</c>; <paramref name="ready"/>: waits until <c>/readyz</c> answers 200.</summary>
    public async Task StartAsync(CancellationToken cancellationToken, bool ready = true)
    {
        process = ProcessRunner.Start(ProcessRunner.Dotnet(Path.Combine(AppContext.BaseDirectory, "collector.dll"), ["run", "--config", NodeFile], Root));
        if (ready)
        {
            await WaitUntilAsync(async () => (await ReadyAsync(cancellationToken)).Status == HttpStatusCode.OK, "the node's /readyz to answer 200", cancellationToken);
        }
    }

    /// <summary>GET /readyz on the health port: its status and text; a refused connection reads as 0.</summary>
    public async Task<(HttpStatusCode Status, string Text)> ReadyAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(HealthUrl + "/readyz", cancellationToken);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (HttpRequestException e)
        {
            return (0, e.Message);
        }
    }

    /// <summary>GET a path of the health listener (<c>/metrics</c>, ...).</summary>
    public async Task<string> GetHealthAsync(string path, CancellationToken cancellationToken) =>
        await Http.GetStringAsync(HealthUrl + path, cancellationToken);

    /// <summary>
    /// Polls <paramref name="condition"/> (a probe of real state) until it holds; fails with what the node printed when
    /// the node exits or three minutes pass (a generous bound on a loaded machine, never a timing assertion).
    /// </summary>
    public async Task WaitUntilAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (!await condition())
        {
            if (process?.HasExited == true)
            {
                Assert.Fail($"The node exited (code {process.ExitCode}) while waiting for {what}:\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Gave up waiting for {what}:\n{Output}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>SIGTERM and wait (the node finishes its sessions), then the temp directory goes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            process.Signal("TERM");
            try
            {
                await process.WaitForExitAsync(TimeSpan.FromMinutes(2));
            }
            catch (TimeoutException)
            {
                // Killed by the wait; its output is kept for the secrets scan by Dispose.
            }

            process.Dispose();
        }

        ports.ForEach(PortAllocator.Release);
        TestArtifacts.KeepFrom(Root);
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
