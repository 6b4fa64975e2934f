using CollectorCluster.Core.Policy;
using CollectorCluster.Core.Scheduling;
using CollectorCluster.Core.State;
using static CollectorCluster.Core.Tests.AccountFixtures;

namespace CollectorCluster.Core.Tests.Scheduling;

/// <summary>Whether a round over a windowed server opens another session, now or after LOGIN-DELAY, and every reason it ends.</summary>
public sealed class RoundContinuationTests
{
    private const int MaxSessions = 10;
    private const int MinListed = 100;

    [Theory]
    // sessions before, succeeded, listed, collected => step
    [InlineData(0, true, 250, 250, RoundStep.ContinueNow)]
    [InlineData(0, true, 100, 100, RoundStep.ContinueNow)] // exactly the minimum is a window
    [InlineData(8, true, 250, 250, RoundStep.ContinueNow)] // the tenth session may still follow
    [InlineData(9, true, 250, 250, RoundStep.End)] // the bound
    [InlineData(0, false, 250, 250, RoundStep.End)] // failed
    [InlineData(0, true, 250, 249, RoundStep.End)] // something listed was not collected: no window
    [InlineData(0, true, 99, 99, RoundStep.End)] // too few listed to be a window
    public void A_session_that_collected_a_whole_window_is_followed_by_another_up_to_the_bound(int sessionsBefore, bool succeeded, int listed, int collected, RoundStep step)
    {
        var decision = RoundContinuation.Decide(new RoundProgress(sessionsBefore, succeeded, listed, collected), MaxSessions, MinListed, Settings(), ServerPolicyState.Initial, Now);

        Assert.Equal(step == RoundStep.End ? RoundDecision.End : new RoundDecision(step, Now), decision);
    }

    [Fact]
    public void A_session_that_collected_nothing_ends_the_round_even_without_a_minimum()
    {
        var decision = RoundContinuation.Decide(new RoundProgress(0, true, 0, 0), MaxSessions, minListed: 0, Settings(), ServerPolicyState.Initial, Now);

        Assert.Equal(RoundStep.End, decision.Step);
    }

    [Fact]
    public void One_session_per_round_never_continues()
    {
        var decision = RoundContinuation.Decide(new RoundProgress(0, true, 250, 250), maxSessions: 1, MinListed, Settings(), ServerPolicyState.Initial, Now);

        Assert.Equal(RoundStep.End, decision.Step);
    }

    [Theory]
    // configured, enabled, health => continues
    [InlineData(true, true, AccountHealth.Healthy, true)]
    [InlineData(false, true, AccountHealth.Healthy, false)]
    [InlineData(true, false, AccountHealth.Healthy, false)]
    [InlineData(true, true, AccountHealth.RetryingTransient, false)]
    [InlineData(true, true, AccountHealth.BackingOff, false)]
    [InlineData(true, true, AccountHealth.NeedsOperator, false)]
    public void Only_an_enabled_healthy_account_continues(bool configured, bool enabled, AccountHealth health, bool continues)
    {
        var policy = ServerPolicyState.Initial with { Health = health };

        var decision = RoundContinuation.Decide(new RoundProgress(0, true, 250, 250), MaxSessions, MinListed, configured ? Settings(enabled) : null, policy, Now);

        Assert.Equal(continues ? RoundStep.ContinueNow : RoundStep.End, decision.Step);
    }

    [Theory]
    // LOGIN-DELAY gate in minutes from now => step, due in minutes from now
    [InlineData(5.0, RoundStep.ContinueAfterLoginDelay, 5.0)]
    [InlineData(0.0, RoundStep.ContinueNow, 0.0)]
    [InlineData(-1.0, RoundStep.ContinueNow, 0.0)]
    public void Login_delay_postpones_the_next_session_of_the_round(double gateInMinutes, RoundStep step, double dueInMinutes)
    {
        var policy = StateAfter(LoginDelayEndingIn(gateInMinutes)).Policy;

        var decision = RoundContinuation.Decide(new RoundProgress(0, true, 250, 250), MaxSessions, MinListed, Settings(), policy, Now);

        Assert.Equal(new RoundDecision(step, Now.AddMinutes(dueInMinutes)), decision);
    }
}
