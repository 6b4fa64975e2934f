namespace CollectorCluster.Node.Hosting;

/// <summary>Registry key for the server governors' shard region (Akka.Hosting's <c>ActorRegistry</c>).</summary>
public sealed class ServerBudgetRegion
{
    private ServerBudgetRegion()
    {
    }
}
