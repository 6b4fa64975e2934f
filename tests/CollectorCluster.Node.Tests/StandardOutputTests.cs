using Akka.Event;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing;
using CollectorCluster.Testing.Network;
using CollectorCluster.Testing.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace CollectorCluster.Node.Tests;

/// <summary>One test at a time: these swap the process's console writers to see where a line goes.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>
/// Standard output is <c>collector once</c>'s summary, nothing else; the log goes to standard error and never blocks
/// the node. Akka writes to its minimal logger before the node's loggers start and after they stop (while the actor
/// system terminates); that logger must write to standard error, or a warning late in a shutdown lands between (or
/// after) the summary lines, as it did in 4 of about 90 runs.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class StandardOutputTests : IDisposable
{
    private readonly NodeScenario _scenario = new("cc-stdout-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_warning_published_after_the_node_stopped_goes_to_standard_error_never_to_standard_output()
    {
        _scenario.WriteNodeFile([]);
        var node = await NodeScenario.StartAsync(_scenario.Load(), Ct);
        var system = node.System;
        await node.DisposeAsync();
        Assert.True(system.WhenTerminated.IsCompleted);

        var marker = "late-shutdown-warning-" + Guid.NewGuid().ToString("N");
        var (stdout, stderr) = Capture(() => system.EventStream.Publish(new Warning("shutdown-phase", typeof(StandardOutputTests), marker)));

        Assert.DoesNotContain(marker, stdout, StringComparison.Ordinal);
        Assert.Contains(marker, stderr, StringComparison.Ordinal);
        Assert.IsType<StandardErrorLogger>(system.Settings.StdoutLogger); // also the logger of the system's first moments
    }

    [Fact]
    public async Task Once_keeps_standard_output_for_its_summary_whatever_else_in_the_process_writes_there_meanwhile()
    {
        // A stray writer on Console.Out in the middle of the run (as Akka's shutdown line was, in 2 of 12 runs): the test
        // server writes it while the node is collecting.
        var marker = "stray-console-line-" + Guid.NewGuid().ToString("N");
        await using var server = new ScriptedPop3Mailbox();
        server.AddUser("fred", "pw", [("s1", MessageFactory.Create(900, 7).Content)]);
        server.BeforeRetrieve = _ =>
        {
            Console.Out.WriteLine(marker);
            return Task.CompletedTask;
        };
        _scenario.WriteNodeFile(_scenario.Account("stray", "127.0.0.1", server.Port, "fred", "pw"));

        var (oldOut, oldErr) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        int code;
        try
        {
            code = await Program.Main(["once", "--config", _scenario.NodeFile]);
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }

        Assert.True(code == 0, stdout + "\n" + stderr);
        Assert.Contains(marker, stderr.ToString(), StringComparison.Ordinal);
        var lines = stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length); // the account's line and the total
        Assert.StartsWith("stray fred@127.0.0.1 ok: collected 1", lines[0], StringComparison.Ordinal);
    }

    /// <summary>
    /// The node's console log never holds up the collection: a stderr that nobody drains fills the logger's queue, and
    /// a full queue drops lines instead of blocking every thread that logs (seen in the scale bench: a harness that
    /// stopped reading the node's stderr starved its thread pool, 1,615 threads, and sessions stopped completing).
    /// </summary>
    [Fact]
    public async Task A_full_console_log_queue_drops_lines_rather_than_block_the_node()
    {
        _scenario.WriteNodeFile([]);
        await using var node = await NodeScenario.StartAsync(_scenario.Load(), Ct);

        var console = node.Host.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
        Assert.Equal(ConsoleLoggerQueueFullMode.DropWrite, console.QueueFullMode);
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Trace, console.LogToStandardErrorThreshold); // all of it on stderr
    }

    public void Dispose() => _scenario.Dispose();

    private static (string Stdout, string Stderr) Capture(Action action)
    {
        var (oldOut, oldErr) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            action();
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldErr);
        }

        return (stdout.ToString(), stderr.ToString());
    }
}
