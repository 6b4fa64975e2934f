using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Accounts;

/// <summary>From a running session to its account: persist these, then answer <see cref="Recorded"/>.</summary>
internal sealed record RecordEvents(IReadOnlyList<IAccountEvent> Events);
