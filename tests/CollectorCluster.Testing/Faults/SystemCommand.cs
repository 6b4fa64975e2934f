using CollectorCluster.Testing.Processes;

namespace CollectorCluster.Testing.Faults;

/// <summary>Runs the system tools the campaign's faults need (mount, losetup, mkfs) and fails with what they said.</summary>
internal static class SystemCommand
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(1);

    /// <summary>Runs <paramref name="program"/> and returns its standard output; throws when it exits non-zero.</summary>
    public static async Task<string> RunAsync(string program, params string[] arguments)
    {
        var result = await ProcessRunner.RunAsync(program, arguments, Limit).ConfigureAwait(false);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Combined}");
    }

    /// <summary>Runs <paramref name="program"/>; true when it exited 0.</summary>
    public static async Task<bool> TryAsync(string program, params string[] arguments) =>
        (await ProcessRunner.RunAsync(program, arguments, Limit).ConfigureAwait(false)).ExitCode == 0;
}
