namespace CollectorCluster.Core.Events;

/// <summary>
/// After a committed session: collected UIDLs its listing lacked (each counts one more listing without it; the first
/// such listing starts its clock) and UIDLs noted before that are listed again (forgotten). A UIDL is taken as gone,
/// pruned or mirrored, only after <see cref="Planning.AbsenceRule"/> says so, never on one listing.
/// </summary>
/// <param name="Absent">UIDLs missing from this listing.</param>
/// <param name="Reappeared">UIDLs noted before and listed again.</param>
/// <param name="At">When the listing was committed.</param>
public sealed record AbsenceNoted(IReadOnlyList<string> Absent, IReadOnlyList<string> Reappeared, DateTimeOffset At) : IAccountEvent;
