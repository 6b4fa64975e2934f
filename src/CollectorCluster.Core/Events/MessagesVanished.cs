namespace CollectorCluster.Core.Events;

/// <summary>Collected UIDLs the server no longer lists; pruned from state so it stays bounded.</summary>
public sealed record MessagesVanished(IReadOnlyList<string> Uidls, DateTimeOffset At) : IAccountEvent;
