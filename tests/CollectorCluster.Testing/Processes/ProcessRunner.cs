using System.Diagnostics;
using System.Globalization;

namespace CollectorCluster.Testing.Processes;

/// <summary>
/// The one way tests start processes: a helper command run to its end with its output captured (doveconf,
/// useradd, collectorctl one-shot), a long-running child whose lines are captured as they come (a collector
/// node), or a daemon whose output goes to a file (Dovecot, OpenSMTPD). Every start redirects the standard streams,
/// never uses a shell for the program itself, and sets DOTNET_NOLOGO.
/// </summary>
public static class ProcessRunner
{
    /// <summary>How <paramref name="fileName"/> is started with <paramref name="arguments"/>: standard streams redirected, no shell.</summary>
    public static ProcessStartInfo StartInfo(
        string fileName, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (workingDirectory is not null)
        {
            info.WorkingDirectory = workingDirectory;
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        return info;
    }

    /// <summary>How a built .NET program next to the test assembly runs: <c>dotnet DLL ARGS</c>.</summary>
    public static ProcessStartInfo Dotnet(
        string dll, IEnumerable<string> arguments, string? workingDirectory = null, IReadOnlyDictionary<string, string>? environment = null) =>
        StartInfo("dotnet", [dll, .. arguments], workingDirectory, environment);

    /// <summary>Runs <paramref name="fileName"/> (found on PATH or in the sbin directories) to its end; kills it after <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">It did not finish in time (it was killed).</exception>
    public static Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        RunAsync(StartInfo(ResolveExecutable(fileName), arguments), timeout, cancellationToken);

    /// <summary>
    /// Runs a process to its end: writes <paramref name="standardInput"/> (if any), closes its input as a pipe
    /// would, and captures what it printed. Killed (whole tree) when <paramref name="timeout"/> passes or the caller cancels.
    /// </summary>
    /// <exception cref="TimeoutException">It did not finish in time (it was killed); the message has what it printed.</exception>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo info, TimeSpan timeout, CancellationToken cancellationToken, string? standardInput = null)
    {
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {info.FileName}.");
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await WaitOrKillAsync(process, timeout, cancellationToken, () => string.Empty).ConfigureAwait(false);
        var result = new ProcessResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        TestArtifacts.Record("runs", $"$ {info.FileName} {string.Join(' ', info.ArgumentList)}\n--- stdout\n{result.StandardOutput}\n--- stderr\n{result.StandardError}");
        return result;
    }

    /// <summary>Starts a long-running child; its output lines are captured as they come (and passed to <paramref name="onLine"/>).</summary>
    public static RunningProcess Start(ProcessStartInfo info, Action<string>? onLine = null) => new(info, onLine);

    /// <summary>
    /// Starts a daemon in the foreground with its output going to <paramref name="outputPath"/>, not to pipes: a
    /// daemon's children would inherit pipes and keep them open after it exits, and waiting for its exit would then
    /// wait for theirs.
    /// </summary>
    public static Process StartDaemon(string program, IEnumerable<string> arguments, string outputPath)
    {
        var args = arguments.ToList();
        var positional = string.Join(' ', Enumerable.Range(1, args.Count).Select(i => string.Create(CultureInfo.InvariantCulture, $"\"${{{i}}}\"")));
        var outputIndex = string.Create(CultureInfo.InvariantCulture, $"${{{args.Count + 1}}}");
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardInput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add($"exec \"$0\" {positional} </dev/null >\"{outputIndex}\" 2>&1");
        info.ArgumentList.Add(ResolveExecutable(program));
        foreach (var argument in args)
        {
            info.ArgumentList.Add(argument);
        }

        info.ArgumentList.Add(outputPath);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {program}.");
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Sends a signal (<c>TERM</c>, <c>HUP</c>, <c>KILL</c>) with <c>kill</c>, as an operator or a service manager would.</summary>
    public static void Signal(int processId, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", processId.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    /// <summary>
    /// Finds a program on PATH or in the sbin directories (which a non-login root shell may lack on PATH).
    /// </summary>
    public static string ResolveExecutable(string fileName)
    {
        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            return fileName;
        }

        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        var directories = path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]);
        foreach (var directory in directories)
        {
            var candidate = Path.Combine(directory, fileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(
            $"'{fileName}' was not found on PATH or in the sbin directories; run scripts/install-test-deps.sh as root.", fileName);
    }

    /// <summary>
    /// Waits for the exit; when <paramref name="timeout"/> passes or the caller cancels first, kills the whole tree and
    /// throws (a timeout as <see cref="TimeoutException"/> with <paramref name="printed"/> in the message).
    /// </summary>
    internal static async Task WaitOrKillAsync(Process process, TimeSpan timeout, CancellationToken cancellationToken, Func<string> printed)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"{process.StartInfo.FileName} {string.Join(' ', process.StartInfo.ArgumentList)} did not finish within {timeout}.{printed()}");
        }
    }
}
