namespace CollectorCluster.Core.Events;

/// <summary>An operator withdrew a mark before a session acted on it; recorded so the withdrawal survives a restart.</summary>
/// <param name="Uidl">The message's UIDL.</param>
/// <param name="At">When the mark was cleared.</param>
public sealed record MarkCleared(string Uidl, DateTimeOffset At) : IAccountEvent;
