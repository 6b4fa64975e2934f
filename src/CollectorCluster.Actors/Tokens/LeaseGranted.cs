namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// The requester may connect now. It owes <see cref="LeaseConnected"/> once connected and <see cref="ReleaseLease"/>
/// when done, both sent to this message's sender (the server's tokens actor that granted it).
/// </summary>
public sealed record LeaseGranted(long LeaseId);
