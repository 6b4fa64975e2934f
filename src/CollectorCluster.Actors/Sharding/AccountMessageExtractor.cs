using Akka.Cluster.Sharding;
using CollectorCluster.Actors.Accounts;

namespace CollectorCluster.Actors.Sharding;

/// <summary>
/// Routes <see cref="IAccountCommand"/>s to shards by account id. The shard count is fixed for the life of a
/// cluster (changing it moves every account): see <c>collector.shards</c>.
/// </summary>
public sealed class AccountMessageExtractor : HashCodeMessageExtractor
{
    /// <summary>Creates an extractor for the given (never changing) shard count.</summary>
    public AccountMessageExtractor(int shards)
        : base(shards)
    {
    }

    /// <inheritdoc />
    public override string? EntityId(object message) => message switch
    {
        IAccountCommand command => command.AccountId,
        _ => null,
    };
}
