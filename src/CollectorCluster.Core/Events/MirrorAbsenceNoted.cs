namespace CollectorCluster.Core.Events;

/// <summary>
/// Mirror Mailbox, after a committed session: collected UIDLs the listing lacked for the first time and earlier
/// absentees listed again. Read from older journals only; sessions now record <see cref="AbsenceNoted"/>, which
/// counts every listing (an absentee here counts as one listing since <see cref="At"/>).
/// </summary>
public sealed record MirrorAbsenceNoted(IReadOnlyList<string> Absent, IReadOnlyList<string> Reappeared, DateTimeOffset At) : IAccountEvent;
