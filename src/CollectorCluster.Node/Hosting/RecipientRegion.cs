namespace CollectorCluster.Node.Hosting;

/// <summary>Registry key for the multidrop recipients' region (Akka.Hosting's <c>ActorRegistry</c>): a shard region, or the local directory.</summary>
public sealed class RecipientRegion
{
    private RecipientRegion()
    {
    }
}
