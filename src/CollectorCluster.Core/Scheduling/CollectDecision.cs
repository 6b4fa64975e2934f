namespace CollectorCluster.Core.Scheduling;

/// <summary>The collect gate's answer: what to do, and why not when it does not start (empty otherwise).</summary>
/// <param name="Verdict">What to do.</param>
/// <param name="Reason">For <see cref="CollectVerdict.Refuse"/> and <see cref="CollectVerdict.WaitForLoginDelay"/>: the operator's explanation.</param>
public sealed record CollectDecision(CollectVerdict Verdict, string Reason = "");
