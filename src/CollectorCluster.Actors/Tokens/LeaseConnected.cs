namespace CollectorCluster.Actors.Tokens;

/// <summary>The lease's connect finished, so its half-open slot (max-connecting) can go to the next request.</summary>
public sealed record LeaseConnected(long LeaseId);
