namespace CollectorCluster.Core.Scheduling;

/// <summary>When an account collects next.</summary>
/// <param name="Step">What to do with the timer.</param>
/// <param name="Due">For <see cref="ScheduleStep.Due"/>: when; null otherwise.</param>
/// <param name="Note">A line for the log (empty for <see cref="ScheduleStep.Keep"/>).</param>
public sealed record ScheduleDecision(ScheduleStep Step, DateTimeOffset? Due, string Note)
{
    /// <summary>Leave the timer as it is.</summary>
    public static readonly ScheduleDecision Keep = new(ScheduleStep.Keep, null, "");
}
