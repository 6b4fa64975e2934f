namespace CollectorCluster.Actors.Tokens;

/// <summary>Gives a lease back, or withdraws a request not yet granted. Unknown or expired ids are ignored.</summary>
public sealed record ReleaseLease(long LeaseId);
