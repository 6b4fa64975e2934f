namespace CollectorCluster.Core.Events;

/// <summary>Deletions the server committed: recorded only after QUIT answered +OK.</summary>
/// <param name="Uidls">The deleted messages.</param>
/// <param name="Reason">Why (see <see cref="Planning.DeletionReason"/>), as its name.</param>
/// <param name="At">When QUIT committed them.</param>
public sealed record MessagesDeletedOnServer(IReadOnlyList<string> Uidls, string Reason, DateTimeOffset At) : IAccountEvent;
