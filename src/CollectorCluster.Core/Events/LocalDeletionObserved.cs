namespace CollectorCluster.Core.Events;

/// <summary>
/// Mirror Mailbox: collected messages whose local copy the user deleted. Recorded before their DELE; the deletion
/// itself counts only when <see cref="MessagesDeletedOnServer"/> (reason MirroredLocalDeletion) follows a QUIT +OK.
/// </summary>
public sealed record LocalDeletionObserved(IReadOnlyList<string> Uidls, DateTimeOffset At) : IAccountEvent;
