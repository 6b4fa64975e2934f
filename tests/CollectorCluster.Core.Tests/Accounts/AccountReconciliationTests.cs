using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Core.Tests.Accounts;

/// <summary>A reload of the accounts file: added, changed (any setting, the password too) and removed, by id.</summary>
public class AccountReconciliationTests
{
    private static AccountSettings Account(string id, string password = "pw", int port = 110) => new()
    {
        Id = id,
        Pop3Server = "pop.example",
        Port = port,
        Pop3Account = id,
        Password = new Secret(password),
        Mailbox = "maildir:/m",
    };

    [Fact]
    public void Same_file_changes_nothing()
    {
        var plan = AccountReconciliation.Plan([Account("a"), Account("b")], [Account("b"), Account("a")]);
        Assert.True(plan.IsEmpty);
    }

    [Fact]
    public void New_changed_and_departed_accounts_are_told_apart_in_id_order()
    {
        var plan = AccountReconciliation.Plan(
            [Account("keep"), Account("port", port: 110), Account("pw", "old"), Account("gone-b"), Account("gone-a")],
            [Account("keep"), Account("port", port: 995), Account("pw", "new"), Account("new-b"), Account("new-a")]);
        Assert.Equal(["new-a", "new-b"], plan.Added.Select(a => a.Id));
        Assert.Equal(["port", "pw"], plan.Changed.Select(a => a.Id));
        Assert.Equal(995, plan.Changed[0].Port);
        Assert.Equal("new", plan.Changed[1].Password.Reveal());
        Assert.Equal(["gone-a", "gone-b"], plan.Removed.Select(a => a.Id));
        Assert.False(plan.IsEmpty);
    }

    [Fact]
    public void From_or_to_an_empty_file()
    {
        Assert.Equal(["a"], AccountReconciliation.Plan([], [Account("a")]).Added.Select(a => a.Id));
        Assert.Equal(["a"], AccountReconciliation.Plan([Account("a")], []).Removed.Select(a => a.Id));
    }
}
