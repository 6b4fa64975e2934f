namespace CollectorCluster.Actors.Tokens;

/// <summary>A server's tokens actor asks the node pool for one node-wide slot, standing for a waiting session of this priority and arrival time.</summary>
public sealed record RequestSlot(long Ticket, string Server, int Priority, DateTimeOffset Since);
