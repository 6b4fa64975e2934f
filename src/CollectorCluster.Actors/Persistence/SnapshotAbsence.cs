namespace CollectorCluster.Actors.Persistence;

/// <summary>One absent collected message in an <see cref="AccountSnapshot"/> (see <see cref="Core.State.AbsenceRecord"/>).</summary>
/// <param name="Uidl">The message.</param>
/// <param name="Since">The first committed listing without it.</param>
/// <param name="Listings">Committed listings without it.</param>
public sealed record SnapshotAbsence(string Uidl, DateTimeOffset Since, int Listings);
