using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Testing;

/// <summary>
/// Runs the built <c>collectorctl</c> (copied next to the test assembly by a project reference) to its end, stdin
/// closed as when piped: the one way every test suite drives the operator CLI one-shot.
/// </summary>
public static class CollectorCtl
{
    /// <summary>Where the test project's build put <c>collectorctl.dll</c>.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "collectorctl.dll");

    /// <summary>Runs <c>dotnet collectorctl.dll ARGS</c>; gives up after two minutes.</summary>
    public static async Task<CtlResult> RunAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(ProcessRunner.Dotnet(Dll, arguments), TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false);
        return new CtlResult(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
