using System.Diagnostics;

namespace CollectorCluster.ClusterTests;

/// <summary>Runs the built <c>collectorctl</c> against one node's command host, as an operator at that node would.</summary>
internal static class ClusterCtl
{
    public static async Task<CtlAnswer> RunAsync(int commandPort, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "collectorctl.dll"));
        info.ArgumentList.Add($"127.0.0.1:{commandPort}");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var ct = TestContext.Current.CancellationToken;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(limit.Token);
        return new CtlAnswer(process.ExitCode, await output, await error);
    }
}
