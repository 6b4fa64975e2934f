namespace CollectorCluster.Pop3.Tests;

/// <summary>Tests that measure process-wide allocations run alone, so other tests' allocations do not count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class NonParallelCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "Non-parallel";
}
