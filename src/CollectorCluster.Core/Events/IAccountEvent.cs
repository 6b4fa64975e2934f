namespace CollectorCluster.Core.Events;

/// <summary>
/// Marker for everything an account actor persists. Bound to the project's own versioned serializer;
/// a type implementing this without a manifest there fails the serializer's round-trip test.
/// </summary>
public interface IAccountEvent
{
}
