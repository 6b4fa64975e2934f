namespace CollectorCluster.Core.State;

/// <summary>A collected message committed listings lacked: since when, and how many listings in a row.</summary>
/// <param name="Since">The first committed listing without it.</param>
/// <param name="Listings">Committed listings without it so far (at least 1).</param>
public sealed record AbsenceRecord(DateTimeOffset Since, int Listings);
