using Akka.Event;
using CollectorCluster.Node.Hosting;
using CollectorCluster.Testing.Nodes;

namespace CollectorCluster.Node.Tests;

/// <summary>One test at a time: these swap the process's console writers to see where a line goes.</summary>
[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;

/// <summary>
/// Standard output is <c>collector once</c>'s summary, nothing else. Akka writes to its minimal logger before the node's
/// loggers start and after they stop (while the actor system terminates); that logger must write to standard error, or a
/// warning late in a shutdown lands between (or after) the summary lines, as it did in 4 of about 90 runs.
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
