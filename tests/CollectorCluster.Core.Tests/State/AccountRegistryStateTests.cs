using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Tests.State;

/// <summary>The runtime account registry as events: add, replace, remove, remove of an unknown id.</summary>
public class AccountRegistryStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static RuntimeAccountAdded Added(string id, AccountOptions? settings = null) => new(id, settings ?? new AccountOptions(), new SealedPassword("n", "c"), T0);

    [Fact]
    public void Adds_replaces_and_removes_by_id_in_id_order()
    {
        var s = AccountRegistryState.Empty.Apply(Added("b")).Apply(Added("a")).Apply(Added("b", new AccountOptions { Port = 995 }));
        Assert.Equal(["a", "b"], s.Accounts.Keys);
        Assert.Equal(995, s.Accounts["b"].Settings.Port);
        s = s.Apply(new RuntimeAccountRemoved("a", T0));
        Assert.Equal(["b"], s.Accounts.Keys);
        Assert.Equal(s, s.Apply(new RuntimeAccountRemoved("nosuch", T0)) with { });
        Assert.Equal(["b"], s.Apply(new RuntimeAccountRemoved("nosuch", T0)).Accounts.Keys);
    }
}
