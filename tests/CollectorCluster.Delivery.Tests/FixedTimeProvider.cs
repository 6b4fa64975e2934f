namespace CollectorCluster.Delivery.Tests;

/// <summary>A clock that stands still, so time-dependent cleanup is tested without sleeping.</summary>
internal sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
