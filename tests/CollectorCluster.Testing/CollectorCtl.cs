using System.Diagnostics;

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
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        return new CtlResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }
}
