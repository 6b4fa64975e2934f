using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;

namespace CollectorCluster.Node.Tests;

/// <summary>A real node (local account hosting, real SQLite journal) started from a node file, for actor-level tests.</summary>
internal static class LocalNode
{
    public static async Task<(CollectorNode Node, CollectorOptions Options)> StartAsync(string configFile, CancellationToken ct)
    {
        var options = CollectorConfigLoader.Load(configFile);
        return (await CollectorNode.StartAsync(options, AccountHosting.Local, ct), options);
    }
}
