namespace CollectorCluster.Delivery.Tests;

/// <summary>
/// Runs the allocation-bound test alone: GC.GetTotalAllocatedBytes counts every thread, so parallel tests would
/// add their allocations to the measurement.
/// </summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class LargeMessageCollection
{
}
