namespace CollectorCluster.Actors.Accounts;

/// <summary>What a reset would forget (<see cref="PreviewReset"/>) or did forget (<see cref="ResetCollector"/>).</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Messages">Collected messages forgotten.</param>
/// <param name="Bytes">Their size in octets.</param>
public sealed record ResetPreviewResult(string AccountId, int Messages, long Bytes);
