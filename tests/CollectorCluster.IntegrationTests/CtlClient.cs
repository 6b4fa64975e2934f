using System.Diagnostics;
using System.Text;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.IntegrationTests;

/// <summary>Runs the built <c>collectorctl</c> as an operator would: one-shot, followed (killed by the test), or on a terminal via <c>script</c>.</summary>
internal static class CtlClient
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static string CtlDll => CollectorCtl.Dll;

    /// <summary>Runs <c>dotnet collectorctl.dll ARGS</c> to its end, stdin closed (piped).</summary>
    public static async Task<OnceResult> RunAsync(params string[] arguments)
    {
        var result = await CollectorCtl.RunAsync(arguments, Ct);
        return new OnceResult(result.ExitCode, result.Output, result.Error);
    }

    /// <summary>Starts collectorctl with stdout readable line by line (for <c>--follow</c>); the caller kills it. The node's token file comes with it.</summary>
    public static Process Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var words = arguments.ToList();
        var all = new Dictionary<string, string>(CollectorCtl.EnvironmentFor(words.FirstOrDefault()));
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            all[key] = value;
        }

        return Process.Start(ProcessRunner.Dotnet(CtlDll, words, environment: all))!;
    }

    /// <summary>
    /// Runs collectorctl's interactive prompt on a pseudo-terminal (util-linux <c>script</c>), typing
    /// <paramref name="keys"/>; returns what the terminal showed.
    /// </summary>
    public static async Task<OnceResult> OnTerminalAsync(string at, string keys, string stateHome)
    {
        var environment = new Dictionary<string, string>(CollectorCtl.EnvironmentFor(at)) { ["XDG_STATE_HOME"] = stateHome };
        var info = ProcessRunner.StartInfo("script", ["-q", "-e", "-c", $"dotnet {CtlDll} {at}", "/dev/null"], environment: environment);
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteAsync(keys.AsMemory(), Ct);
        await process.StandardInput.FlushAsync(Ct);
        var output = process.StandardOutput.ReadToEndAsync(Ct);
        var error = process.StandardError.ReadToEndAsync(Ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        process.StandardInput.Close();
        return new OnceResult(process.ExitCode, await output, await error);
    }

    /// <summary>Probes with <c>cluster show</c> until the node's command host answers and the node is Up.</summary>
    public static async Task<OnceResult> WaitForCommandHostAsync(CollectorProcess daemon, string at)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(90));
        while (true)
        {
            Assert.False(daemon.HasExited, $"collector run ended early:\n{daemon.Output}");
            var probe = await RunAsync(at, "cluster", "show");
            if (probe.ExitCode == 0 && probe.Output.Contains("| Up |", StringComparison.Ordinal))
            {
                return probe;
            }

            Assert.True(probe.ExitCode == 3, probe.ToString());
            await Task.Delay(100, limit.Token);
        }
    }

    /// <summary>Reads stdout lines of a followed command until one contains <paramref name="text"/>; returns all read.</summary>
    public static async Task<string> ReadUntilAsync(Process process, string text)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TimeSpan.FromSeconds(90));
        var seen = new StringBuilder();
        while (await process.StandardOutput.ReadLineAsync(limit.Token) is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains(text, StringComparison.Ordinal))
            {
                return seen.ToString();
            }
        }

        throw new Xunit.Sdk.XunitException($"collectorctl ended before showing '{text}':\n{seen}\n{await process.StandardError.ReadToEndAsync(Ct)}");
    }
}
