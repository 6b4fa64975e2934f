using CollectorCluster.Core.Accounts;
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
/// and reads as no marks, which is what such an account had. <see cref="Policy"/> likewise: absent reads as healthy, nothing known. <see cref="Paused"/> likewise: absent reads as not paused.
/// The absences, pending deletions, mailbox identity, rotated refresh token and oversize report came later still: absent,
/// they read as none (a snapshot from before identities has none, as its journal had none). <see cref="Routing"/> and <see cref="ImportedSeeds"/> (multidrop counts, taken-over
/// seeds) likewise: absent, nothing routed and no seed taken over. <see cref="History"/> came
/// later: absent, it reads as the last collection alone (what such a snapshot knew). <see cref="Settings"/> likewise:
/// absent reads as none applied.
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
    IReadOnlyList<SnapshotAbsence>? Absent = null,
    IReadOnlyList<IntendedDeletion>? PendingDeletions = null,
    MailboxIdentity? Identity = null,
    bool NamesIncludeMailbox = false,
    RotatedRefreshToken? RefreshToken = null,
    IReadOnlyList<SnapshotOversize>? Oversize = null,
    RoutingCounts? Routing = null,
    IReadOnlyList<string>? ImportedSeeds = null,
    IReadOnlyList<CollectionOutcome>? History = null,
    AccountSettingsChanged? Settings = null)
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
        state.Absent.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new SnapshotAbsence(a.Key, a.Value.Since, a.Value.Listings)).ToList(),
        state.PendingDeletions.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new IntendedDeletion(p.Key, p.Value)).ToList(),
        state.Identity,
        state.NamesIncludeMailbox,
        state.RefreshToken,
        state.Oversize.OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => new SnapshotOversize(o.Key, o.Value)).ToList(),
        state.Routing,
        state.ImportedSeeds.Order(StringComparer.Ordinal).ToList(),
        [.. state.History],
        state.Settings);

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
        Absent = AccountState.Empty.Absent.AddRange((Absent ?? []).Select(a => KeyValuePair.Create(a.Uidl, new AbsenceRecord(a.Since, a.Listings)))),
        PendingDeletions = AccountState.Empty.PendingDeletions.AddRange((PendingDeletions ?? []).Select(p => KeyValuePair.Create(p.Uidl, p.Reason))),
        Identity = Identity,
        NamesIncludeMailbox = NamesIncludeMailbox,
        RefreshToken = RefreshToken,
        Oversize = AccountState.Empty.Oversize.AddRange((Oversize ?? []).Select(o => KeyValuePair.Create(o.Uidl, o.Size))),
        Routing = Routing ?? RoutingCounts.None,
        ImportedSeeds = AccountState.Empty.ImportedSeeds.Union(ImportedSeeds ?? []),
        History = History is { } history ? [.. history.TakeLast(AccountState.HistoryLength)] : LastCollection is { } last ? [last] : [],
        Settings = Settings,
    };
}
