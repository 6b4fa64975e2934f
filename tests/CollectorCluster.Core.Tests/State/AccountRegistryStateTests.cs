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

    [Fact]
    public void File_accounts_are_listed_and_unlisted_and_each_id_has_one_origin()
    {
        var s = AccountRegistryState.Empty
            .Apply(new FileAccountsListed(["f1", "f2", "f3"], T0))
            .Apply(Added("r1"))
            .Apply(new FileAccountsUnlisted(["f2", "nosuch"], T0));
        Assert.Equal(["f1", "f3"], s.FileAccounts);
        Assert.Equal(AccountOrigin.File, s.OriginOf("f1"));
        Assert.Equal(AccountOrigin.Runtime, s.OriginOf("r1"));
        Assert.Null(s.OriginOf("f2"));
    }

    [Fact]
    public void Applied_file_versions_are_kept_newest_first_without_repeats_and_bounded()
    {
        var s = AccountRegistryState.Empty;
        for (var i = 0; i < AccountRegistryState.FileVersionsKept + 5; i++)
        {
            s = s.Apply(new AccountsFileApplied("d" + i, "k", "node1", T0.AddMinutes(i)));
        }

        Assert.Equal(AccountRegistryState.FileVersionsKept, s.FileVersions.Count);
        Assert.Equal("d" + (AccountRegistryState.FileVersionsKept + 4), s.FileVersions[0].Digest);
        s = s.Apply(new AccountsFileApplied("d10", "k", "node2", T0.AddHours(1)));
        Assert.Equal("d10", s.FileVersions[0].Digest);
        Assert.Single(s.FileVersions, v => v.Digest == "d10");
    }
}
