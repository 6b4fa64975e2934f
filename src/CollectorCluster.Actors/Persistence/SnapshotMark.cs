namespace CollectorCluster.Actors.Persistence;

/// <summary>
/// One operator mark in an <see cref="AccountSnapshot"/>: a plain UIDL and mark name, so the snapshot format does not
/// depend on how an enum or a dictionary happens to serialize.
/// </summary>
/// <param name="Uidl">The marked message.</param>
/// <param name="Mark">The <see cref="Core.State.MessageMark"/> name.</param>
public sealed record SnapshotMark(string Uidl, string Mark);
