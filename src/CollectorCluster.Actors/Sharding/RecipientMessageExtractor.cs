using Akka.Cluster.Sharding;
using CollectorCluster.Actors.Recipients;

namespace CollectorCluster.Actors.Sharding;

/// <summary>Routes <see cref="IRecipientCommand"/>s to shards by recipient id (the same fixed shard count as the accounts).</summary>
public sealed class RecipientMessageExtractor : HashCodeMessageExtractor
{
    /// <summary>Creates an extractor for the given (never changing) shard count.</summary>
    public RecipientMessageExtractor(int shards)
        : base(shards)
    {
    }

    /// <inheritdoc />
    public override string? EntityId(object message) => message switch
    {
        IRecipientCommand command => command.RecipientId,
        _ => null,
    };
}
