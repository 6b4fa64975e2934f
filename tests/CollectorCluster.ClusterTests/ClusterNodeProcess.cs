using System.Text;
using CollectorCluster.Testing.Processes;

namespace CollectorCluster.ClusterTests;

/// <summary>
/// One cluster node as a real process (<c>dotnet collector.dll run --config FILE</c>), its log fed line by line to an
/// <see cref="AccountLocator"/> and kept for probes and failure messages.
/// </summary>
public sealed class ClusterNodeProcess : IDisposable
{
    private readonly RunningProcess process;
    private readonly StringBuilder log = new();
    private readonly AccountLocator locator;
    private readonly StreamWriter file;

    public ClusterNodeProcess(string name, string nodeFile, string workingDirectory, AccountLocator locator)
    {
        Name = name;
        this.locator = locator;
        // The whole log also goes to a file that outlives the test (the last run's logs, for a failure's post-mortem).
        var logs = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "cc-cluster-last-run")).FullName;
        file = new StreamWriter(Path.Combine(logs, name + ".log"), append: false) { AutoFlush = true };
        var collector = Path.Combine(AppContext.BaseDirectory, "collector.dll");
        process = ProcessRunner.Start(ProcessRunner.Dotnet(collector, ["run", "--config", nodeFile], workingDirectory), Append);
    }

    public string Name { get; }

    public bool HasExited => process.HasExited;

    public string Log
    {
        get
        {
            lock (log)
            {
                return log.ToString();
            }
        }
    }

    /// <summary>Log lines containing <paramref name="text"/> so far.</summary>
    public int Count(string text) => Log.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));

    /// <summary>Waits (polling the log) until a line contains <paramref name="text"/>; fails if the node exits or <paramref name="limit"/> passes.</summary>
    public async Task WaitForAsync(string text, TimeSpan limit, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(limit);
        while (Count(text) == 0)
        {
            Assert.False(HasExited, $"{Name} exited before logging '{text}':\n{Tail()}");
            try
            {
                await Task.Delay(100, cts.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Name} did not log '{text}' within {limit}:\n{Tail()}");
            }
        }
    }

    /// <summary>SIGKILL: no coordinated shutdown, no hand-off, sessions cut mid-protocol.</summary>
    public void KillHard()
    {
        process.Signal("KILL");
        process.WaitForExit();
    }

    /// <summary>SIGTERM: a graceful leave (shards handed off after the message in flight).</summary>
    public void Terminate() => process.Signal("TERM");

    public Task<int> WaitForExitAsync(TimeSpan limit) => process.WaitForExitAsync(limit);

    /// <summary>The last lines of the log, for failure messages.</summary>
    public string Tail(int lines = 40) => string.Join('\n', Log.Split('\n').TakeLast(lines));

    public void Dispose()
    {
        process.Dispose();
        lock (log)
        {
            file.Dispose();
        }
    }

    private void Append(string line)
    {
        lock (log)
        {
            log.AppendLine(line);
            if (file.BaseStream.CanWrite)
            {
                file.WriteLine(line);
            }
        }

        locator.Observe(Name, line);
    }
}
