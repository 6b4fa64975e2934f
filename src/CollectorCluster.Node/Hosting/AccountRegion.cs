namespace CollectorCluster.Node.Hosting;

/// <summary>Registry key for the account shard region (Akka.Hosting's <c>ActorRegistry</c>).</summary>
public sealed class AccountRegion
{
    private AccountRegion()
    {
    }
}
