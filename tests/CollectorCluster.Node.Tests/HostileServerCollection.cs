namespace CollectorCluster.Node.Tests;

/// <summary>Hostile-server tests measure the whole process's memory, so they run alone, not beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileServerCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "Hostile servers";
}
