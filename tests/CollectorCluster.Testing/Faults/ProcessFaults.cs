using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using CollectorCluster.Testing.Processes;
using CollectorCluster.Wire;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// The faults that need the collector as a process, with its own journal: <c>kill -9</c> of <c>collector run</c>,
/// SIGTERM of <c>collector once</c>, the journal's disk turning read-only, PostgreSQL stopped. The proxy holds the
/// session at a seeded random moment; the fault strikes there (a kill may instead come a seeded few milliseconds after
/// the session went on, so it can land while the collector writes); then the recovery runs <c>collector once</c> on the
/// same node file and journal.
/// </summary>
internal static class ProcessFaults
{
    public static async Task<FaultOutcome> RunAsync(ScenarioContext context, CancellationToken cancellationToken)
    {
        var kind = context.Scenario.Kind;
        LoopDisk? disk = null;
        PostgresServer? postgres = null;
        var commandPort = kind == FaultKind.KillRun ? PortAllocator.Reserve() : 0;
        try
        {
            string? journal = null;
            if (kind == FaultKind.JournalReadOnly)
            {
                disk = await LoopDisk.CreateAsync(context.StateDirectory).ConfigureAwait(false);
            }
            else if (kind == FaultKind.PostgresStopped)
            {
                postgres = await PostgresServer.StartAsync(cancellationToken).ConfigureAwait(false);
                journal = $"  journal {{ provider = postgresql, connection-string = \"{postgres.ConnectionString}\" }}";
            }

            var nodeFile = context.WriteNodeFile(journal, commandPort);
            Task<RunResult> Once() => context.Lab.OnceInProcessAsync(nodeFile, cancellationToken);
            if (context.Scenario.Mode == CollectionMode.Mirror)
            {
                await context.PrepareMirrorAsync(Once).ConfigureAwait(false);
            }

            var point = FaultPoints.RandomMoment(context);
            context.Proxy.Arm(point, Pop3FaultAction.Hold);
            var (injected, fault) = kind switch
            {
                FaultKind.KillRun => await KillRunAsync(context, nodeFile, commandPort, cancellationToken).ConfigureAwait(false),
                FaultKind.TermOnce => await TerminateOnceAsync(context, nodeFile, cancellationToken).ConfigureAwait(false),
                _ => await BreakJournalAsync(context, nodeFile, disk, postgres, cancellationToken).ConfigureAwait(false),
            };
            context.Proxy.Disarm();
            context.CheckPoint();

            if (disk is not null)
            {
                await disk.RepairAsync().ConfigureAwait(false);
            }

            if (postgres is not null)
            {
                await postgres.RestartAsync(cancellationToken).ConfigureAwait(false);
            }

            await context.RecoverAsync(Once).ConfigureAwait(false);
            return context.Finish(injected, fault);
        }
        finally
        {
            if (postgres is not null)
            {
                await postgres.DisposeAsync().ConfigureAwait(false);
            }

            if (disk is not null)
            {
                TestArtifacts.KeepFrom(context.StateDirectory); // the journal on the disk, for the suite's secrets scan
                await disk.DisposeAsync().ConfigureAwait(false);
            }

            if (commandPort != 0)
            {
                PortAllocator.Release(commandPort);
            }
        }
    }

    private static RunningProcess Start(ScenarioContext context, string verb, string nodeFile) =>
        ProcessRunner.Start(ProcessRunner.Dotnet(context.Lab.CollectorDll, [verb, "--config", nodeFile], context.Root));

    /// <summary>
    /// <c>collector run</c>, told to collect now through its command host; at the moment, <c>kill -9</c> (at once, or a
    /// seeded 0–250 ms after letting the session go on).
    /// </summary>
    private static async Task<(bool, string)> KillRunAsync(ScenarioContext context, string nodeFile, int commandPort, CancellationToken cancellationToken)
    {
        var delay = context.Random.Next(2) == 0 ? TimeSpan.Zero : TimeSpan.FromMilliseconds(context.Random.Next(251));
        using var process = Start(context, "run", nodeFile);
        using var trigger = await AskToCollectAsync(context, process, commandPort, cancellationToken).ConfigureAwait(false);
        var reached = await ReachedAsync(context, process, cancellationToken).ConfigureAwait(false);
        if (reached is null)
        {
            await process.KillTreeAsync().ConfigureAwait(false);
            context.Note("collector run: " + Tail(process));
            return (false, "kill -9 of collector run (the session never reached the moment)");
        }

        if (delay > TimeSpan.Zero)
        {
            context.Proxy.Release(cut: false);
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }

        await process.KillTreeAsync().ConfigureAwait(false);
        context.Proxy.Release(cut: true);
        context.WindowAllowance++;
        var when = delay > TimeSpan.Zero ? string.Create(CultureInfo.InvariantCulture, $"{delay.TotalMilliseconds:0} ms past: ") : "at: ";
        return (true, $"kill -9 of collector run {when}{reached}");
    }

    /// <summary><c>collector once</c>; at the moment, SIGTERM, and the session goes on: it must end within the signal bound.</summary>
    private static async Task<(bool, string)> TerminateOnceAsync(ScenarioContext context, string nodeFile, CancellationToken cancellationToken)
    {
        using var process = Start(context, "once", nodeFile);
        var reached = await ReachedAsync(context, process, cancellationToken).ConfigureAwait(false);
        if (reached is null)
        {
            context.Note("collector once: " + Tail(process));
            return (false, "SIGTERM to collector once (the session never reached the moment)");
        }

        process.Signal("TERM");
        context.Proxy.Release(cut: false);
        await WaitForExitAsync(context, process, context.Lab.SignalBound, "after SIGTERM", killOpensWindow: true, cancellationToken).ConfigureAwait(false);
        if (process.HasExited && !process.Output.Contains("account(s):", StringComparison.Ordinal))
        {
            context.Note("collector once printed no summary after SIGTERM");
        }

        return (true, $"SIGTERM to collector once at: {reached}");
    }

    /// <summary><c>collector once</c>; at the moment, the journal's disk turns read-only or PostgreSQL stops, and the session goes on.</summary>
    private static async Task<(bool, string)> BreakJournalAsync(ScenarioContext context, string nodeFile, LoopDisk? disk, PostgresServer? postgres, CancellationToken cancellationToken)
    {
        using var process = Start(context, "once", nodeFile);
        var reached = await ReachedAsync(context, process, cancellationToken).ConfigureAwait(false);
        var what = disk is not null ? "the journal's file system turned read-only" : "PostgreSQL stopped";
        if (reached is null)
        {
            context.Note("collector once: " + Tail(process));
            return (false, what + " (the session never reached the moment)");
        }

        if (disk is not null)
        {
            await disk.BreakAsync().ConfigureAwait(false);
        }
        else
        {
            await postgres!.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        context.Proxy.Release(cut: false);
        context.WindowAllowance++;
        await WaitForExitAsync(context, process, context.Lab.RunBound, "with its journal gone", killOpensWindow: false, cancellationToken).ConfigureAwait(false);
        return (true, $"{what} at: {reached}");
    }

    /// <summary>
    /// The proxy's description of the moment, or null when the process ended first (or neither happened within the run
    /// bound: then it is killed and counted hung). Probes the process rather than waiting on it, since the kit's waits
    /// kill at their end.
    /// </summary>
    private static async Task<string?> ReachedAsync(ScenarioContext context, RunningProcess process, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        while (true)
        {
            await Task.WhenAny(context.Proxy.Reached, Task.Delay(50, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (context.Proxy.Reached.IsCompleted)
            {
                return await context.Proxy.Reached.ConfigureAwait(false);
            }

            if (process.HasExited)
            {
                return null;
            }

            if (DateTimeOffset.UtcNow - started > context.Lab.RunBound)
            {
                context.Hung++;
                context.Note($"the process neither reached the moment nor ended within {context.Lab.RunBound.TotalSeconds:0}s (killed)");
                await process.KillTreeAsync().ConfigureAwait(false);
                return null;
            }
        }
    }

    /// <summary>Waits for the exit; past <paramref name="bound"/> it is killed and counted hung (and, unless its journal failed already, its session may have lost one journal write).</summary>
    private static async Task WaitForExitAsync(ScenarioContext context, RunningProcess process, TimeSpan bound, string when, bool killOpensWindow, CancellationToken cancellationToken)
    {
        try
        {
            var exit = await process.WaitForExitAsync(bound, cancellationToken).ConfigureAwait(false);
            context.Note(string.Create(CultureInfo.InvariantCulture, $"collector once {when}: exit {exit}: {Tail(process)}"));
        }
        catch (TimeoutException)
        {
            context.Hung++;
            if (killOpensWindow)
            {
                context.WindowAllowance++; // killed: its last delivery may be unrecorded
            }

            context.Note(string.Create(CultureInfo.InvariantCulture, $"collector once did not end within {bound.TotalSeconds:0}s {when} (killed): {Tail(process)}"));
        }
    }

    /// <summary>
    /// Connects to <c>collector run</c>'s command host once it listens and sends <c>collector collect ID</c> with the
    /// token the node generated at its start (<c>state/command-host.token</c>); the answer is not awaited.
    /// </summary>
    private static async Task<TcpClient> AskToCollectAsync(ScenarioContext context, RunningProcess process, int port, CancellationToken cancellationToken)
    {
        var started = DateTimeOffset.UtcNow;
        var tokenFile = Path.Combine(context.StateDirectory, "command-host.token");
        while (true)
        {
            var client = new TcpClient();
            try
            {
                var token = File.Exists(tokenFile) ? (await File.ReadAllTextAsync(tokenFile, cancellationToken).ConfigureAwait(false)).Trim() : "";
                if (token.Length > 0)
                {
                    await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken).ConfigureAwait(false);
                    var request = CommandWire.ToLine(CommandRequest.For(["collector", "collect", context.Scenario.Id], token)) + "\n";
                    await client.GetStream().WriteAsync(Encoding.UTF8.GetBytes(request), cancellationToken).ConfigureAwait(false);
                    return client;
                }
            }
            catch (SocketException)
            {
                // Not listening yet.
            }

            client.Dispose();
            if (process.HasExited || DateTimeOffset.UtcNow - started > context.Lab.RunBound)
            {
                throw new InvalidOperationException($"collector run's command host on port {port} never answered: {Tail(process)}");
            }

            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Tail(RunningProcess process)
    {
        var text = (process.Output + " " + process.Error).ReplaceLineEndings(" | ").Trim();
        return text.Length <= 400 ? text : "..." + text[^400..];
    }
}
