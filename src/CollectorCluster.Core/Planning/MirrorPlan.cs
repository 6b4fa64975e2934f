namespace CollectorCluster.Core.Planning;

/// <summary>What Mirror Mailbox adds to a session.</summary>
/// <param name="Plan">The collection plan with the mirrored server deletions added.</param>
/// <param name="LocalDeletions">Collected messages the user deleted locally: DELE'd this session (also in <see cref="CollectionPlan.Delete"/>).</param>
/// <param name="Noted">Collected UIDLs missing from this listing that stay in state, noted one listing more (not gone yet, or held back by a guard).</param>
/// <param name="Reappeared">UIDLs noted absent before that are listed again.</param>
/// <param name="LocalRemovals">Collected UIDLs gone from the server (<see cref="AbsenceRule"/>): their local copies go after QUIT.</param>
/// <param name="Forget">Collected UIDLs gone from a server that removes retrieved messages by itself (EXPIRE): forgotten, their local copies kept.</param>
/// <param name="NeedsOperator">True when a guard stopped mirroring in a direction (see the plan's warnings).</param>
public sealed record MirrorPlan(
    CollectionPlan Plan,
    IReadOnlyList<string> LocalDeletions,
    IReadOnlyList<string> Noted,
    IReadOnlyList<string> Reappeared,
    IReadOnlyList<string> LocalRemovals,
    IReadOnlyList<string> Forget,
    bool NeedsOperator);
