namespace CollectorCluster.Actors.Tokens;

/// <summary>The requester may connect now; it owes <see cref="LeaseConnected"/> once connected and <see cref="ReleaseLease"/> when done.</summary>
public sealed record LeaseGranted(long LeaseId);
