namespace CollectorCluster.WebTests;

/// <summary>One console node for a whole browser test class (each test adds accounts of its own).</summary>
public sealed class ConsoleNodeFixture : IAsyncLifetime
{
    private WebNode? node;

    internal WebNode Node => node ?? throw new InvalidOperationException("The node is not started yet.");

    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        node = WebNode.Create();
        await node.StartAsync(TestContext.Current.CancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (node is not null)
        {
            await node.DisposeAsync();
        }
    }
}
