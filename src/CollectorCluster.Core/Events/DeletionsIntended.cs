namespace CollectorCluster.Core.Events;

/// <summary>
/// Messages a session is about to DELE, recorded before the first DELE is sent. If QUIT then commits them but their
/// <see cref="MessagesDeletedOnServer"/> is never recorded (the process died, the journal write failed, a DELE was
/// refused mid-batch), the next listing without them confirms the deletion as ours: they are never taken for
/// messages deleted or hidden by someone else, so Mirror Mailbox never removes their local copies.
/// </summary>
/// <param name="Deletions">The messages and why each is deleted.</param>
/// <param name="At">When.</param>
public sealed record DeletionsIntended(IReadOnlyList<IntendedDeletion> Deletions, DateTimeOffset At) : IAccountEvent;
