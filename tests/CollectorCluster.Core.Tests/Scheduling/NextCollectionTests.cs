using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.Scheduling;
using CollectorCluster.Core.State;
using static CollectorCluster.Core.Tests.AccountFixtures;

namespace CollectorCluster.Core.Tests.Scheduling;

/// <summary>
/// When an account collects next: which of its slot, the back-off, the policy's retry time and LOGIN-DELAY wins, and when
/// nothing is scheduled at all. No jitter, so the slot is exact.
/// </summary>
public sealed class NextCollectionTests
{
    private static readonly ScheduleTuning Tuning = new(0, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1));

    /// <summary>The candidate that decides the slot.</summary>
    public enum Winner
    {
        Slot,
        Backoff,
        NotBefore,
        LoginDelay,
    }

    [Theory]
    // configured, enabled, scheduled, busy, paused, health => step
    [InlineData(false, true, true, false, false, AccountHealth.NeedsOperator, ScheduleStep.Keep)]
    [InlineData(true, false, true, false, false, AccountHealth.NeedsOperator, ScheduleStep.Keep)]
    [InlineData(true, true, false, false, false, AccountHealth.NeedsOperator, ScheduleStep.Keep)]
    [InlineData(true, true, true, true, false, AccountHealth.NeedsOperator, ScheduleStep.Keep)]
    [InlineData(true, true, true, false, true, AccountHealth.NeedsOperator, ScheduleStep.Keep)]
    [InlineData(true, true, true, false, false, AccountHealth.NeedsOperator, ScheduleStep.Hold)]
    [InlineData(true, true, true, false, false, AccountHealth.BackingOff, ScheduleStep.Due)]
    [InlineData(true, true, true, false, false, AccountHealth.Healthy, ScheduleStep.Due)]
    public void Only_an_enabled_scheduled_idle_unpaused_account_is_scheduled_and_one_waiting_for_an_operator_is_held(
        bool configured, bool enabled, bool scheduled, bool busy, bool paused, AccountHealth health, ScheduleStep step)
    {
        var events = new List<IAccountEvent> { Health(health) };
        if (paused)
        {
            events.Add(new AccountPaused(Now.AddHours(-1)));
        }

        var decision = NextCollection.Decide("a", configured ? Settings(enabled) : null, scheduled, busy, StateAfter(events), Tuning, Now, 0);

        Assert.Equal(step, decision.Step);
        Assert.Equal(step == ScheduleStep.Due, decision.Due is not null);
        switch (step)
        {
            case ScheduleStep.Keep:
                Assert.Same(ScheduleDecision.Keep, decision);
                break;
            case ScheduleStep.Hold:
                Assert.Equal("not scheduled, needs operator: the server said so", decision.Note);
                break;
        }
    }

    [Theory]
    // health, failures in a row (0: never collected), policy NotBefore and LOGIN-DELAY gate in minutes from now => winner
    [InlineData(AccountHealth.Healthy, 0, null, null, Winner.Slot)]
    [InlineData(AccountHealth.BackingOff, 1, null, null, Winner.Slot)] // a one-minute back-off ends before the slot
    [InlineData(AccountHealth.BackingOff, 7, null, null, Winner.Backoff)] // retry.max (an hour) beyond the slot
    [InlineData(AccountHealth.BackingOff, 7, 5, null, Winner.Slot)] // the policy's retry time replaces the count-based back-off
    [InlineData(AccountHealth.BackingOff, 1, 45, null, Winner.NotBefore)]
    [InlineData(AccountHealth.RetryingTransient, 1, 2, null, Winner.NotBefore)] // IN-USE retries sooner than the slot
    [InlineData(AccountHealth.Healthy, 0, 45, null, Winner.Slot)] // a healthy account's NotBefore is no retry time
    [InlineData(AccountHealth.Healthy, 0, null, 45, Winner.LoginDelay)]
    [InlineData(AccountHealth.RetryingTransient, 1, 2, 45, Winner.LoginDelay)]
    [InlineData(AccountHealth.BackingOff, 7, null, 90, Winner.LoginDelay)] // LOGIN-DELAY over all
    [InlineData(AccountHealth.BackingOff, 7, null, 5, Winner.Backoff)] // a gate already behind the back-off changes nothing
    public void The_latest_of_slot_backoff_retry_time_and_login_delay_wins(AccountHealth health, int failures, int? notBeforeInMinutes, int? gateInMinutes, Winner winner)
    {
        var events = new List<IAccountEvent>();
        for (var i = 0; i < failures; i++)
        {
            events.Add(new CollectionFailed(Now.AddMinutes(-2), Now.AddMinutes(-1), "connect", "refused", 0, 0));
        }

        events.Add(Health(health, notBeforeInMinutes is { } nb ? Now.AddMinutes(nb) : null));
        if (gateInMinutes is { } gate)
        {
            events.Add(LoginDelayEndingIn(gate));
        }

        var state = StateAfter(events);
        var decision = NextCollection.Decide("a", Settings(), scheduled: true, busy: false, state, Tuning, Now, 0);

        var slot = CollectionSchedule.NextDue("a", TimeSpan.FromMinutes(10), Now, state.LastCollection?.StartedAt, 0, 0);
        var expected = winner switch
        {
            Winner.Slot => slot,
            Winner.Backoff => Now.AddMinutes(-1) + CollectionSchedule.BackoffDelay(failures, Tuning.RetryBase, Tuning.RetryMax),
            Winner.NotBefore => Now.AddMinutes(notBeforeInMinutes!.Value),
            _ => Now.AddMinutes(gateInMinutes!.Value),
        };
        Assert.Equal(ScheduleStep.Due, decision.Step);
        Assert.Equal(expected, decision.Due);
        var backoff = failures > 0 ? $", backing off after {failures} failure(s)" : "";
        Assert.Equal($"next collection at {expected:u} (every 00:10:00{backoff})", decision.Note);
    }

    [Fact]
    public void The_jitter_sample_and_fraction_reach_the_slot()
    {
        var tuning = Tuning with { JitterFraction = 0.1 };

        var decision = NextCollection.Decide("a", Settings(), scheduled: true, busy: false, AccountState.Empty, tuning, Now, 0.5);

        Assert.Equal(CollectionSchedule.NextDue("a", TimeSpan.FromMinutes(10), Now, null, 0.1, 0.5), decision.Due);
    }
}
