namespace CollectorCluster.Core.Scheduling;

/// <summary>A collection round so far: the sessions before the last, and the last session's figures.</summary>
/// <param name="SessionsBefore">Sessions of this round before the last one.</param>
/// <param name="Succeeded">The last session succeeded.</param>
/// <param name="Listed">Messages the last session listed.</param>
/// <param name="Collected">Messages the last session collected.</param>
public sealed record RoundProgress(int SessionsBefore, bool Succeeded, int Listed, int Collected);
