namespace CollectorCluster.Core.Planning;

/// <summary>What Mirror Mailbox adds to a session.</summary>
/// <param name="Plan">The collection plan with the mirrored server deletions added and the held-back absentees taken out of Vanished.</param>
/// <param name="LocalDeletions">Collected messages the user deleted locally: DELE'd this session (also in <see cref="CollectionPlan.Delete"/>).</param>
/// <param name="FirstAbsent">Collected UIDLs missing from this listing for the first time: noted after QUIT, kept in state.</param>
/// <param name="Reappeared">UIDLs noted absent before that are listed again.</param>
/// <param name="LocalRemovals">Collected UIDLs missing from this and the previous committed listing: their local copies go after QUIT.</param>
/// <param name="NeedsOperator">True when a guard stopped mirroring in a direction (see the plan's warnings).</param>
public sealed record MirrorPlan(
    CollectionPlan Plan,
    IReadOnlyList<string> LocalDeletions,
    IReadOnlyList<string> FirstAbsent,
    IReadOnlyList<string> Reappeared,
    IReadOnlyList<string> LocalRemovals,
    bool NeedsOperator);
