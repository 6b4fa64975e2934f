namespace CollectorCluster.Actors.Tokens;

/// <summary>Asks <see cref="ConnectionTokens"/> for a connection slot; the sender gets <see cref="LeaseGranted"/> and is watched, so its death returns the slot.</summary>
public sealed record RequestLease(string AccountId, string Server, int Priority);
