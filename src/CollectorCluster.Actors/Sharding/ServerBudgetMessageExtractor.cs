using Akka.Cluster.Sharding;
using CollectorCluster.Actors.Tokens;

namespace CollectorCluster.Actors.Sharding;

/// <summary>
/// Routes <see cref="IServerBudgetCommand"/>s to the governor of their POP3 server (entity id = the lower-cased host),
/// so one governor holds each server's budget for the whole cluster.
/// </summary>
public sealed class ServerBudgetMessageExtractor : HashCodeMessageExtractor
{
    /// <summary>Creates an extractor for the given (never changing) shard count.</summary>
    public ServerBudgetMessageExtractor(int shards)
        : base(shards)
    {
    }

    /// <inheritdoc />
    public override string? EntityId(object message) => message is IServerBudgetCommand command ? command.Server.ToLowerInvariant() : null;
}
