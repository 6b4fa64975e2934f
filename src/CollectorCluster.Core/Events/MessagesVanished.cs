namespace CollectorCluster.Core.Events;

/// <summary>
/// Collected or marked UIDLs the server no longer lists, pruned from state (with their marks) so it stays bounded.
/// A collected UIDL is pruned only once <see cref="Planning.AbsenceRule"/> takes it as gone, never on one listing.
/// </summary>
public sealed record MessagesVanished(IReadOnlyList<string> Uidls, DateTimeOffset At) : IAccountEvent;
