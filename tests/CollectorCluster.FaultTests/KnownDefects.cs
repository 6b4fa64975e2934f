using CollectorCluster.Testing.Faults;

namespace CollectorCluster.FaultTests;

/// <summary>
/// TEMPORARY: the sample's kinds that fail on main because of defects being fixed in other branches (issue 11), with
/// the defect named. Remove an entry as soon as its fix is merged; this list must end up empty.
/// </summary>
internal static class KnownDefects
{
    /// <summary>The skip reason for <paramref name="kind"/>, or null when it must pass.</summary>
    public static string? SkipReason(FaultKind kind) => kind switch
    {
        FaultKind.UidlChange =>
            "known open defect, faults-findings #3 (fewer than 5 messages collected when the UIDLs change: UidlMigration.MinKnown "
            + "skips the re-key and every collected message is delivered again)",
        FaultKind.JournalReadOnly or FaultKind.PostgresStopped =>
            "known open defects, faults-findings #5 (a failed journal write stops the account; collector once then waits forever) "
            + "and #6 (node.key written without fsync: after a disk error soon after the first start it is empty and no start succeeds)",
        _ => null,
    };
}
