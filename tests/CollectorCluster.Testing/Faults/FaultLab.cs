using System.Globalization;
using Akka.Actor;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Commands;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing.Nodes;
using Microsoft.Data.Sqlite;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// What a fault campaign shares between its scenarios: one private Dovecot (POP3 and LMTP; a fresh mailbox per
/// scenario), one collector node in this process (each scenario its own account and journal stream), the built
/// collector for the faults that need a process, and the bounds past which a run counts as hung. Runs scenarios,
/// many at a time, each checked on its own.
/// </summary>
public sealed class FaultLab : IAsyncDisposable
{
    private readonly FaultLabOptions options;
    private readonly SemaphoreSlim inProcess;
    private readonly SemaphoreSlim processes;
    private readonly SemaphoreSlim loopDevices = new(4, 4); // the machine has 8 loop devices; leave some to others
    private CollectorNode? node;

    private FaultLab(FaultLabOptions options, DovecotServer dovecot, string root)
    {
        this.options = options;
        Dovecot = dovecot;
        Root = root;
        inProcess = new SemaphoreSlim(options.InProcessParallelism, options.InProcessParallelism);
        processes = new SemaphoreSlim(options.ProcessParallelism, options.ProcessParallelism);
    }

    /// <summary>The private Dovecot (POP3 source of every scenario, LMTP destination of the LMTP ones).</summary>
    public DovecotServer Dovecot { get; }

    /// <summary>The directory holding every scenario's directory.</summary>
    public string Root { get; }

    /// <summary>Keep each scenario's directory (journal, node file, Maildir) for inspection.</summary>
    public bool KeepDirectories => options.KeepDirectories;

    /// <summary>The built collector (<c>collector.dll</c>) that process faults start.</summary>
    public string CollectorDll => options.CollectorDll;

    /// <summary>How long any run may take before it counts as hung.</summary>
    public TimeSpan RunBound => options.RunBound;

    /// <summary>How long <c>collector once</c> may take to exit after SIGTERM before it counts as hung.</summary>
    public TimeSpan SignalBound => options.SignalBound;

    /// <summary>Starts Dovecot (with LMTP) and the shared node.</summary>
    public static async Task<FaultLab> StartAsync(FaultLabOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!File.Exists(options.CollectorDll))
        {
            throw new FileNotFoundException($"The built collector is not at {options.CollectorDll}.", options.CollectorDll);
        }

        var root = Directory.CreateTempSubdirectory("cc-faults-").FullName;
        var dovecot = await DovecotServer.StartAsync(new DovecotServerOptions { EnableLmtp = true }, cancellationToken).ConfigureAwait(false);
        var lab = new FaultLab(options, dovecot, root);
        try
        {
            var nodeFile = Path.Combine(root, "shared-node.hocon");
            await File.WriteAllTextAsync(
                nodeFile,
                $$"""
                collector {
                  state-directory = "{{Path.Combine(root, "shared-node")}}"
                  command-host.port = 0
                  max-pop3-clients = 64, max-connecting = 64, max-per-server = 64
                  accounts = []
                }
                """,
                cancellationToken).ConfigureAwait(false);
            lab.node = (await NodeScenario.StartAsync(nodeFile, cancellationToken).ConfigureAwait(false)).Node;
            return lab;
        }
        catch
        {
            await lab.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Runs every scenario (the in-process ones and the process ones side by side, each group to its own parallelism)
    /// and returns the outcomes in scenario order. <paramref name="progress"/> hears each outcome as it comes.
    /// </summary>
    public async Task<IReadOnlyList<FaultOutcome>> RunAllAsync(IReadOnlyList<FaultScenario> scenarios, Action<FaultOutcome>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenarios);
        var runs = scenarios.Select(async scenario =>
        {
            var gate = FaultKinds.RunsProcess(scenario.Kind) ? processes : inProcess;
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var outcome = await RunAsync(scenario, cancellationToken).ConfigureAwait(false);
                progress?.Invoke(outcome);
                return outcome;
            }
            finally
            {
                gate.Release();
            }
        });
        return await Task.WhenAll(runs).ConfigureAwait(false);
    }

    /// <summary>Runs one scenario: set up, fault, check point, recovery, the invariant. A failure of the harness itself is an outcome "not injected" saying so.</summary>
    public async Task<FaultOutcome> RunAsync(FaultScenario scenario, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ScenarioContext? context = null;
        try
        {
            context = await ScenarioContext.CreateAsync(this, scenario, cancellationToken).ConfigureAwait(false);
            if (scenario.Kind == FaultKind.JournalReadOnly)
            {
                await loopDevices.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await ProcessFaults.RunAsync(context, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    loopDevices.Release();
                }
            }

            return FaultKinds.RunsProcess(scenario.Kind)
                ? await ProcessFaults.RunAsync(context, cancellationToken).ConfigureAwait(false)
                : await InProcessFaults.RunAsync(context, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var counts = new InvariantCounts(0, 0, 0, 0, 0, 0, "");
            return new FaultOutcome(scenario, false, $"harness error: {e.GetType().Name}: {e.Message}", counts, 0, e.ToString().ReplaceLineEndings(" | "));
        }
        finally
        {
            if (context is not null)
            {
                await context.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops the shared node and Dovecot, removes the directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (node is not null)
        {
            await node.DisposeAsync().ConfigureAwait(false);
            node = null;
        }

        await Dovecot.DisposeAsync().ConfigureAwait(false);
        TestArtifacts.KeepFrom(Path.Combine(Root, "shared-node")); // its journal, for the suite's secrets scan
        inProcess.Dispose();
        processes.Dispose();
        loopDevices.Dispose();
        if (!options.KeepDirectories)
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Leftovers under /tmp are harmless.
            }
        }
    }

    /// <summary>One session of <paramref name="account"/> on the shared node (configured unscheduled, then collected); hung past <see cref="RunBound"/>.</summary>
    internal async Task<RunResult> CollectOnSharedNodeAsync(AccountSettings account, CancellationToken cancellationToken)
    {
        var accounts = node!.Accounts;
        try
        {
            await accounts.Ask<AccountAck>(new ConfigureAccount(account, Scheduled: false), RunBound, cancellationToken).ConfigureAwait(false);
            var result = await accounts.Ask<CollectionResult>(new CollectNow(account.Id), RunBound, cancellationToken).ConfigureAwait(false);
            var text = string.Create(CultureInfo.InvariantCulture, $"collected {result.Collected}, deleted {result.Deleted}, listed {result.Listed}{(result.Detail.Length > 0 ? ": " + result.Detail : "")}");
            return new RunResult(true, result.Succeeded, result.Collected, result.Deleted, text);
        }
        catch (AskTimeoutException)
        {
            return RunResult.Hung(string.Create(CultureInfo.InvariantCulture, $"no answer from the account within {RunBound.TotalSeconds:0}s"));
        }
    }

    /// <summary>
    /// <c>collector once</c> on a scenario's own node file, in this process (the same code as the binary's verb, without
    /// its start-up cost); hung past <see cref="RunBound"/> (then abandoned). Connection pools are cleared afterwards,
    /// so no file of the journal stays open.
    /// </summary>
    internal async Task<RunResult> OnceInProcessAsync(string nodeFile, CancellationToken cancellationToken)
    {
        var loaded = CollectorConfigLoader.Load(nodeFile);
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = OnceCommand.RunAsync(loaded, output, stop.Token);
        try
        {
            var exit = await run.WaitAsync(RunBound, cancellationToken).ConfigureAwait(false);
            return RunResult.FromOnce(exit, output.ToString());
        }
        catch (TimeoutException)
        {
            await stop.CancelAsync().ConfigureAwait(false);
            return RunResult.Hung(string.Create(CultureInfo.InvariantCulture, $"collector once did not end within {RunBound.TotalSeconds:0}s: {output}"));
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new RunResult(true, false, 0, 0, $"collector once threw {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Npgsql.NpgsqlConnection.ClearAllPools();
        }
    }
}
