using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Tests.Policy;

public sealed class PolicyStateTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Health_changes_and_observations_fold_into_the_account_state()
    {
        var state = AccountState.Empty
            .Apply(new ServerPolicyObserved(At, 300, "0"))
            .Apply(new AccountHealthChanged(nameof(AccountHealth.NeedsOperator), "bad password", null, At));

        Assert.Equal(AccountHealth.NeedsOperator, state.Policy.Health);
        Assert.Equal("bad password", state.Policy.Reason);
        Assert.Equal(At, state.Policy.LastLoginAt);
        Assert.Equal(TimeSpan.FromSeconds(300), state.Policy.LoginDelay);
        Assert.Equal("0", state.Policy.Expire);

        var resumed = state.Apply(new AccountHealthChanged(nameof(AccountHealth.Healthy), "", null, At.AddHours(1)));
        Assert.Equal(AccountHealth.Healthy, resumed.Policy.Health);
        Assert.Equal(At, resumed.Policy.LastLoginAt); // a resume does not forget the server's LOGIN-DELAY
    }

    [Fact]
    public void A_new_account_is_healthy_and_knows_nothing_of_its_server()
    {
        Assert.Equal(ServerPolicyState.Initial, AccountState.Empty.Policy);
        Assert.Null(AccountState.Empty.Policy.LoginDelay);
    }
}
