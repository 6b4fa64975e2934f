using CollectorCluster.Core.Events;

namespace CollectorCluster.Core.Planning;

/// <summary>What one session does, decided before the first RETR.</summary>
/// <param name="Fetch">Messages to download, in download order.</param>
/// <param name="DeleteAfterFetch">DELE each fetched message once its collection is recorded.</param>
/// <param name="Delete">Already-collected messages to DELE this session.</param>
/// <param name="Vanished">Marked UIDLs that were never collected and are no longer listed (pruned once the session commits).</param>
/// <param name="Warnings">Things an operator should know (no UIDL support, duplicate UIDLs, ...).</param>
public sealed record CollectionPlan(
    IReadOnlyList<ListedMessage> Fetch,
    bool DeleteAfterFetch,
    IReadOnlyList<PlannedDeletion> Delete,
    IReadOnlyList<string> Vanished,
    IReadOnlyList<string> Warnings)
{
    /// <summary>Collected UIDLs this listing lacks (none of them pending deletion), in ordinal order: see <see cref="AbsenceRule"/>.</summary>
    public IReadOnlyList<string> Absent { get; init; } = [];

    /// <summary>UIDLs noted absent before that this listing carries again, in ordinal order.</summary>
    public IReadOnlyList<string> Reappeared { get; init; } = [];

    /// <summary>Deletions recorded as intended whose UIDL this listing lacks: an earlier QUIT committed them.</summary>
    public IReadOnlyList<IntendedDeletion> Confirmed { get; init; } = [];

    /// <summary>
    /// Set when the server cannot honour the account's settings (no UIDL with leave-mail-on-server): the session fetches
    /// and deletes nothing, and the account waits for an operator with this reason.
    /// </summary>
    public string? Refusal { get; init; }
}
