namespace CollectorCluster.Actors.Persistence;

/// <summary>One message of the last oversize report in an <see cref="AccountSnapshot"/>.</summary>
/// <param name="Uidl">The message.</param>
/// <param name="Size">Its listed size.</param>
public sealed record SnapshotOversize(string Uidl, long Size);
