namespace CollectorCluster.Node.Observability;

/// <summary>One line of <c>/readyz</c>: what was checked, whether it passed, and what was seen.</summary>
/// <param name="Name">The check (<c>member</c>, <c>journal</c>, <c>command-host</c>).</param>
/// <param name="Ok">True when it passed.</param>
/// <param name="Detail">What was seen (a status, a duration, an error).</param>
public sealed record ReadinessCheck(string Name, bool Ok, string Detail);
