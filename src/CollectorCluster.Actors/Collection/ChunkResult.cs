namespace CollectorCluster.Actors.Collection;

/// <summary>How one connection's share of a run (LIST, plan, fetch, DELE, QUIT) ended.</summary>
/// <param name="QuitConfirmed">QUIT answered +OK, so the chunk's deletions are committed and recorded.</param>
/// <param name="Deleted">Deletions committed (0 when QUIT was not confirmed).</param>
/// <param name="More">commit-every held back part of the plan for another connection.</param>
internal sealed record ChunkResult(bool QuitConfirmed, int Deleted, bool More);
