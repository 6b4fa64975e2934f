namespace CollectorCluster.Core.State;

/// <summary>A message the account has collected and the server still listed at the last look.</summary>
public sealed record CollectedMessage(string Uidl, long Size, DateTimeOffset FirstSeen, DateTimeOffset CollectedAt, string? Fingerprint = null);
