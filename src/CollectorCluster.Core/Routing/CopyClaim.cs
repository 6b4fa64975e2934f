namespace CollectorCluster.Core.Routing;

/// <summary>A session's claim on delivering a copy, held (in memory only) from its grant until confirmed or released.</summary>
/// <param name="Source">The claiming account and UIDL.</param>
/// <param name="At">When it was granted; a claim older than the claim timeout is stale (its session died).</param>
public sealed record CopyClaim(string Source, DateTimeOffset At);
