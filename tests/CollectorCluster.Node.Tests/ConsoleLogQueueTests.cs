using CollectorCluster.Testing.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// The node's console log never holds up the collection: a stderr that nobody drains fills the logger's queue, and a
/// full queue drops lines instead of blocking every thread that logs (seen in the scale bench: a harness that stopped
/// reading the node's stderr starved its thread pool, 1,615 threads, and sessions stopped completing).
/// </summary>
public sealed class ConsoleLogQueueTests : IDisposable
{
    private readonly NodeScenario _scenario = new("cc-logqueue-");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

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
}
