using System.Collections.Concurrent;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Testing;

/// <summary>
/// Runs the built <c>collectorctl</c> (copied next to the test assembly by a project reference) to its end, stdin
/// closed as when piped: the one way every test suite drives the operator CLI one-shot. A node's command host
/// always wants its token: a test registers the node's token file for its address
/// (<see cref="RegisterTokenFile"/>), and every collectorctl run against that address reads it through
/// <c>COLLECTORCTL_TOKEN_FILE</c>, as an operator's would.
/// </summary>
public static class CollectorCtl
{
    private static readonly ConcurrentDictionary<string, string> TokenFiles = new(StringComparer.Ordinal);

    /// <summary>Where the test project's build put <c>collectorctl.dll</c>.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "collectorctl.dll");

    /// <summary>Says where the node at <paramref name="address"/> (<c>127.0.0.1:PORT</c>) keeps its token (its <c>&lt;state-directory&gt;/command-host.token</c>).</summary>
    public static void RegisterTokenFile(string address, string tokenFile) => TokenFiles[address] = tokenFile;

    /// <summary>The environment collectorctl gets for a command line whose first word is <paramref name="address"/>.</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentFor(string? address) =>
        address is not null && TokenFiles.TryGetValue(address, out var file)
            ? new Dictionary<string, string> { ["COLLECTORCTL_TOKEN_FILE"] = file }
            : new Dictionary<string, string>();

    /// <summary>Runs <c>dotnet collectorctl.dll ARGS</c> (with <paramref name="standardInput"/> and <paramref name="environment"/> added, if any); gives up after two minutes.</summary>
    public static async Task<CtlResult> RunAsync(
        IEnumerable<string> arguments, CancellationToken cancellationToken, string? standardInput = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var words = arguments.ToList();
        var all = new Dictionary<string, string>(EnvironmentFor(words.FirstOrDefault()));
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        var info = ProcessRunner.Dotnet(Dll, words, environment: all);
        var result = await ProcessRunner.RunAsync(info, TimeSpan.FromMinutes(2), cancellationToken, standardInput).ConfigureAwait(false);
        return new CtlResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
