namespace CollectorCluster.Core.State;

/// <summary>The result of the last session, for "Last Collection" and status.</summary>
/// <param name="StartedAt">Session start.</param>
/// <param name="FinishedAt">Session end.</param>
/// <param name="Succeeded">True when QUIT committed.</param>
/// <param name="Collected">Messages collected.</param>
/// <param name="Bytes">Bytes collected.</param>
/// <param name="Detail">Error text (failed) or warnings (succeeded), empty when none.</param>
public sealed record CollectionOutcome(DateTimeOffset StartedAt, DateTimeOffset FinishedAt, bool Succeeded, int Collected, long Bytes, string Detail);
