namespace CollectorCluster.Core.Scheduling;

/// <summary>The node-wide knobs a schedule is computed with (<c>collector.retry.*</c>, <c>collector.jitter</c>).</summary>
/// <param name="JitterFraction">Share of the interval added as random jitter to each slot, in [0, 0.5].</param>
/// <param name="RetryBase">First back-off after a failure; doubles per consecutive failure.</param>
/// <param name="RetryMax">Back-off ceiling.</param>
public sealed record ScheduleTuning(double JitterFraction, TimeSpan RetryBase, TimeSpan RetryMax);
