using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Scheduling;

/// <summary>
/// When an account collects next: its staggered slot (<see cref="CollectionSchedule.NextDue"/>), pushed back by the
/// back-off after failures, by the server policy's retry time, and last by LOGIN-DELAY, which no slot ever beats.
/// An account waiting for an operator is not scheduled at all. Pure, so every branch is table-tested.
/// </summary>
public static class NextCollection
{
    /// <summary>Decides the next slot.</summary>
    /// <param name="accountId">The account (its id places its slots).</param>
    /// <param name="settings">This node's settings for the account, or null when it has none.</param>
    /// <param name="scheduled">False for one-shot runs, which collect only when told to.</param>
    /// <param name="busy">A session runs (its end schedules the next).</param>
    /// <param name="state">The account's state.</param>
    /// <param name="tuning">Jitter and back-off.</param>
    /// <param name="now">The clock reading.</param>
    /// <param name="jitterSample">A uniform random sample in [0, 1).</param>
    public static ScheduleDecision Decide(
        string accountId,
        AccountSettings? settings,
        bool scheduled,
        bool busy,
        AccountState state,
        ScheduleTuning tuning,
        DateTimeOffset now,
        double jitterSample)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(tuning);
        if (settings is null || !settings.Enabled || !scheduled || busy || state.Paused)
        {
            return ScheduleDecision.Keep;
        }

        var policy = state.Policy;
        if (policy.Health == AccountHealth.NeedsOperator)
        {
            return new ScheduleDecision(ScheduleStep.Hold, null, $"not scheduled, needs operator: {policy.Reason}");
        }

        var due = CollectionSchedule.NextDue(accountId, settings.CheckEvery, now, state.LastCollection?.StartedAt, tuning.JitterFraction, jitterSample);
        if (state.LastCollection is { Succeeded: false } last && state.ConsecutiveFailures > 0 && policy.NotBefore is null)
        {
            var retryAt = last.FinishedAt + CollectionSchedule.BackoffDelay(state.ConsecutiveFailures, tuning.RetryBase, tuning.RetryMax);
            if (retryAt > due)
            {
                due = retryAt;
            }
        }

        // The server policy's retry time (shorter for IN-USE, longer for repeated faults), then LOGIN-DELAY over all.
        if (policy.Health != AccountHealth.Healthy && policy.NotBefore is { } notBefore
            && (notBefore > due || policy.Health == AccountHealth.RetryingTransient))
        {
            due = notBefore;
        }

        due = ServerPolicy.Honour(due, policy.LastLoginAt, policy.LoginDelay);
        var backoff = state.ConsecutiveFailures > 0 ? $", backing off after {state.ConsecutiveFailures} failure(s)" : "";
        return new ScheduleDecision(ScheduleStep.Due, due, $"next collection at {due:u} (every {settings.CheckEvery}{backoff})");
    }
}
