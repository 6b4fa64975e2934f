using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Collection;

/// <summary>A finished session: the event to persist (<see cref="CollectionCompleted"/> or <see cref="CollectionFailed"/>) and its figures.</summary>
public sealed record SessionOutcome(IAccountEvent Event, bool Succeeded, int Listed, int Collected, int Deleted, long Bytes, TimeSpan Duration, string Detail);
