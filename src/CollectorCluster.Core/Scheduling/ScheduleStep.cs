namespace CollectorCluster.Core.Scheduling;

/// <summary>What the account does with its next-collection timer.</summary>
public enum ScheduleStep
{
    /// <summary>Nothing to schedule now (not configured, disabled, unscheduled, collecting or paused): leave the timer as it is.</summary>
    Keep,

    /// <summary>Waiting for an operator: cancel the timer, nothing is due.</summary>
    Hold,

    /// <summary>Collect at <see cref="ScheduleDecision.Due"/>.</summary>
    Due,
}
