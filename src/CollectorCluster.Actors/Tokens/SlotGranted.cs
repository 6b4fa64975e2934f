namespace CollectorCluster.Actors.Tokens;

/// <summary>The node pool gives the server's tokens actor a node-wide slot for <see cref="Ticket"/>.</summary>
public sealed record SlotGranted(long Ticket);
