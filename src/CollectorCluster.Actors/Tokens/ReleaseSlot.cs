namespace CollectorCluster.Actors.Tokens;

/// <summary>Gives a node-wide slot back, or withdraws its request if not yet granted.</summary>
public sealed record ReleaseSlot(long Ticket);
