using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.Scheduling;
using static CollectorCluster.Core.Tests.AccountFixtures;

namespace CollectorCluster.Core.Tests.Scheduling;

/// <summary>Every way a request to collect is started, joined, refused or told to wait, and the order the checks run in.</summary>
public sealed class CollectGateTests
{
    private const string Gate60 = "the server's LOGIN-DELAY allows the next login at 2026-12-01 12:01:00Z";

    [Theory]
    // configured, busy, enabled, paused, health, LOGIN-DELAY gate in minutes from now (null: none) => verdict, reason
    [InlineData(false, false, true, false, AccountHealth.Healthy, null, CollectVerdict.Refuse, "account is not configured on this node")]
    [InlineData(false, true, false, true, AccountHealth.NeedsOperator, 1.0, CollectVerdict.Refuse, "account is not configured on this node")]
    [InlineData(true, true, false, true, AccountHealth.NeedsOperator, 1.0, CollectVerdict.Join, "")]
    [InlineData(true, false, false, true, AccountHealth.NeedsOperator, 1.0, CollectVerdict.Refuse, "account is disabled")]
    [InlineData(true, false, true, true, AccountHealth.NeedsOperator, 1.0, CollectVerdict.Refuse, "account is paused (collector resume a)")]
    [InlineData(true, false, true, false, AccountHealth.NeedsOperator, 1.0, CollectVerdict.Refuse, "needs operator: the server said so")]
    [InlineData(true, false, true, false, AccountHealth.Healthy, 1.0, CollectVerdict.WaitForLoginDelay, Gate60)]
    [InlineData(true, false, true, false, AccountHealth.BackingOff, 1.0, CollectVerdict.WaitForLoginDelay, Gate60)]
    [InlineData(true, false, true, false, AccountHealth.RetryingTransient, 1.0, CollectVerdict.WaitForLoginDelay, Gate60)]
    [InlineData(true, false, true, false, AccountHealth.Healthy, 0.0, CollectVerdict.Start, "")] // the gate is now: passed
    [InlineData(true, false, true, false, AccountHealth.Healthy, -1.0, CollectVerdict.Start, "")]
    [InlineData(true, false, true, false, AccountHealth.Healthy, null, CollectVerdict.Start, "")]
    [InlineData(true, false, true, false, AccountHealth.BackingOff, null, CollectVerdict.Start, "")] // an operator's collect does not wait out a back-off
    [InlineData(true, false, true, false, AccountHealth.RetryingTransient, null, CollectVerdict.Start, "")]
    public void Requests_are_decided_in_order(bool configured, bool busy, bool enabled, bool paused, AccountHealth health, double? gateInMinutes, CollectVerdict verdict, string reason)
    {
        var events = new List<IAccountEvent>();
        if (paused)
        {
            events.Add(new AccountPaused(Now.AddHours(-1)));
        }

        if (health != AccountHealth.Healthy)
        {
            events.Add(Health(health, Now.AddMinutes(30)));
        }

        if (gateInMinutes is { } gate)
        {
            events.Add(LoginDelayEndingIn(gate));
        }

        var decision = CollectGate.Decide("a", configured ? Settings(enabled) : null, busy, StateAfter(events), Now);

        Assert.Equal(new CollectDecision(verdict, reason), decision);
    }

    [Fact]
    public void A_login_delay_of_zero_is_no_gate()
    {
        var state = StateAfter(new ServerPolicyObserved(Now.AddSeconds(-1), 0, null));

        Assert.Equal(CollectVerdict.Start, CollectGate.Decide("a", Settings(), busy: false, state, Now).Verdict);
    }

    [Fact]
    public void The_table_reaches_every_verdict()
    {
        var reached = typeof(CollectGateTests).GetMethod(nameof(Requests_are_decided_in_order))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(row => (CollectVerdict)row.Data[6]!).ToHashSet();
        Assert.Equal(Enum.GetValues<CollectVerdict>().ToHashSet(), reached);
    }
}
