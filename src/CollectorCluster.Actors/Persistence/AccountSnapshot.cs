using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.Routing;
using CollectorCluster.Core.State;

namespace CollectorCluster.Actors.Persistence;

/// <summary>
/// The persisted form of <see cref="AccountState"/>: plain lists instead of immutable maps, so the snapshot
/// format is ours and versioned, not whatever a collection type happens to serialize as.
/// </summary>
/// <remarks>
/// <see cref="Marks"/> came later under the same manifest: a snapshot written before it has no <c>marks</c> property
/// and reads as no marks, which is what such an account had. <see cref="Policy"/> likewise: absent reads as healthy, nothing known. <see cref="Paused"/> likewise: absent reads as not paused. <see cref="Routing"/> and <see cref="ImportedSeeds"/> likewise: absent reads as nothing routed and no seed taken over.
/// </remarks>
public sealed record AccountSnapshot(
    IReadOnlyList<CollectedMessage> Collected,
    AccountConfigured? Configuration,
    CollectionOutcome? LastCollection,
    DateTimeOffset? LastSuccessAt,
    int ConsecutiveFailures,
    long TotalCollected,
    long TotalBytes,
    IReadOnlyList<SnapshotMark>? Marks = null,
    SnapshotPolicy? Policy = null,
    bool Paused = false,
    RoutingCounts? Routing = null,
    IReadOnlyList<string>? ImportedSeeds = null)
{
    /// <summary>Captures a state.</summary>
    public static AccountSnapshot From(AccountState state) => new(
        state.Collected.Values.OrderBy(m => m.CollectedAt).ThenBy(m => m.Uidl, StringComparer.Ordinal).ToList(),
        state.Configuration,
        state.LastCollection,
        state.LastSuccessAt,
        state.ConsecutiveFailures,
        state.TotalCollected,
        state.TotalBytes,
        state.Marks.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => new SnapshotMark(m.Key, m.Value.ToString())).ToList(),
        SnapshotPolicy.From(state.Policy),
        state.Paused,
        state.Routing,
        state.ImportedSeeds.Order(StringComparer.Ordinal).ToList());

    /// <summary>Rebuilds the state.</summary>
    public AccountState ToState() => AccountState.Empty with
    {
        Collected = AccountState.Empty.Collected.AddRange(Collected.Select(m => new KeyValuePair<string, CollectedMessage>(m.Uidl, m))),
        Configuration = Configuration,
        LastCollection = LastCollection,
        LastSuccessAt = LastSuccessAt,
        ConsecutiveFailures = ConsecutiveFailures,
        TotalCollected = TotalCollected,
        TotalBytes = TotalBytes,
        Marks = AccountState.Empty.Marks.AddRange((Marks ?? []).Select(m => new KeyValuePair<string, MessageMark>(m.Uidl, Enum.Parse<MessageMark>(m.Mark)))),
        Policy = Policy?.ToState() ?? ServerPolicyState.Initial,
        Paused = Paused,
        Routing = Routing ?? RoutingCounts.None,
        ImportedSeeds = AccountState.Empty.ImportedSeeds.Union(ImportedSeeds ?? []),
    };
}
