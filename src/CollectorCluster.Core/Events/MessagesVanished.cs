namespace CollectorCluster.Core.Events;

/// <summary>Collected or marked UIDLs the server no longer lists; pruned from state (with their marks) so it stays bounded.</summary>
public sealed record MessagesVanished(IReadOnlyList<string> Uidls, DateTimeOffset At) : IAccountEvent;
