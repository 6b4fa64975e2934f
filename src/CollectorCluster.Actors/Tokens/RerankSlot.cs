namespace CollectorCluster.Actors.Tokens;

/// <summary>A queued slot request now stands for a different session: its new priority and arrival time.</summary>
public sealed record RerankSlot(long Ticket, int Priority, DateTimeOffset Since);
