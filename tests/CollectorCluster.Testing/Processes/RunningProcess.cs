using System.Diagnostics;
using System.Text;

namespace CollectorCluster.Testing.Processes;

/// <summary>
/// A long-running child (a collector node): its standard output and error captured line by line as they come,
/// signals as an operator or a service manager sends them, and a dispose that never leaves it running.
/// </summary>
public sealed class RunningProcess : IDisposable
{
    private readonly Process process;
    private readonly StringBuilder stdout = new();
    private readonly StringBuilder stderr = new();
    private readonly Action<string>? onLine;

    internal RunningProcess(ProcessStartInfo info, Action<string>? onLine)
    {
        this.onLine = onLine;
        process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(stderr, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The process id.</summary>
    public int Id => process.Id;

    /// <summary>True once it exited.</summary>
    public bool HasExited => process.HasExited;

    /// <summary>Its exit code (once exited).</summary>
    public int ExitCode => process.ExitCode;

    /// <summary>What it printed on standard output so far.</summary>
    public string Output => Read(stdout);

    /// <summary>What it printed on standard error so far.</summary>
    public string Error => Read(stderr);

    /// <summary>Sends <paramref name="signal"/> (<c>TERM</c>, <c>HUP</c>, <c>KILL</c>) unless it has exited.</summary>
    public void Signal(string signal)
    {
        if (!process.HasExited)
        {
            ProcessRunner.Signal(process.Id, signal);
        }
    }

    /// <summary>Waits for the exit (after a signal that ends it).</summary>
    public void WaitForExit() => process.WaitForExit();

    /// <summary>kill -9 of the whole tree, then waits for the exit.</summary>
    public async Task KillTreeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for the exit and returns the exit code; kills the tree and throws when <paramref name="limit"/> passes first.</summary>
    /// <exception cref="TimeoutException">It did not exit in time (it was killed); the message has what it printed.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan limit, CancellationToken cancellationToken = default)
    {
        await ProcessRunner.WaitOrKillAsync(process, limit, cancellationToken, () => $"\n{Output}\n{Error}").ConfigureAwait(false);
        return process.ExitCode;
    }

    /// <summary>Kills the whole tree if it still runs; keeps its command line and output for the secrets scan (<see cref="TestArtifacts"/>).</summary>
    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        TestArtifacts.Record("processes", $"$ {process.StartInfo.FileName} {string.Join(' ', process.StartInfo.ArgumentList)}\n--- stdout\n{Output}\n--- stderr\n{Error}");
        process.Dispose();
    }

    private static string Read(StringBuilder target)
    {
        lock (target)
        {
            return target.ToString();
        }
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (target)
        {
            target.AppendLine(line);
        }

        onLine?.Invoke(line);
    }
}
