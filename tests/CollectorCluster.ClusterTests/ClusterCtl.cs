using CollectorCluster.Testing;

namespace CollectorCluster.ClusterTests;

/// <summary>Runs the built <c>collectorctl</c> against one node's command host, as an operator at that node would.</summary>
public static class ClusterCtl
{
    public static Task<CtlResult> RunAsync(int commandPort, params string[] arguments) =>
        CollectorCtl.RunAsync([$"127.0.0.1:{commandPort}", .. arguments], TestContext.Current.CancellationToken);
}
