using Akka.Cluster.Sharding;
using CollectorCluster.Actors.Registry;

namespace CollectorCluster.Actors.Sharding;

/// <summary>Routes every <see cref="IRegistryCommand"/> to the one registry entity (shard "0", entity "accounts"), wherever sharding places it.</summary>
public sealed class RegistryMessageExtractor : HashCodeMessageExtractor
{
    /// <summary>The registry's entity id.</summary>
    public const string EntityName = "accounts";

    /// <summary>Creates the extractor (one shard).</summary>
    public RegistryMessageExtractor()
        : base(1)
    {
    }

    /// <inheritdoc />
    public override string? EntityId(object message) => message is IRegistryCommand ? EntityName : null;
}
