namespace CollectorCluster.Core.Events;

/// <summary>
/// Mirror Mailbox, after a committed session: collected UIDLs the listing lacked for the first time (kept, not yet
/// acted on: one listing is not proof of deletion) and earlier absentees that are listed again (forgotten).
/// </summary>
public sealed record MirrorAbsenceNoted(IReadOnlyList<string> Absent, IReadOnlyList<string> Reappeared, DateTimeOffset At) : IAccountEvent;
