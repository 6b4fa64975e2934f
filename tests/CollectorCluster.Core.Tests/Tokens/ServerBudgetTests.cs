using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Core.Tests.Tokens;

/// <summary>One server's cluster-wide budget: the cap, the order of grants, and what a restarted governor adopts.</summary>
public class ServerBudgetTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static ServerBudget Budget(int max = 2) => new("POP.Example", max, TimeSpan.FromMinutes(1));

    [Fact]
    public void Grants_up_to_the_cap_across_owners_and_the_next_after_a_release()
    {
        var b = Budget(max: 2);
        Assert.Equal("pop.example", b.Server);
        b.Request("a", "node1", "acct-a", 0, T0);
        b.Request("b", "node2", "acct-b", 0, T0.AddSeconds(1));
        b.Request("c", "node3", "acct-c", 0, T0.AddSeconds(2));
        Assert.Equal(["a", "b"], b.Grant(T0.AddSeconds(3)).Select(g => g.LeaseId));
        Assert.Empty(b.Grant(T0.AddSeconds(3)));
        Assert.Equal((2, 1), (b.Held, b.Queued));

        Assert.True(b.Release("a"));
        Assert.False(b.Release("a"));
        var next = Assert.Single(b.Grant(T0.AddSeconds(10)));
        Assert.Equal(("c", "node3", "acct-c", TimeSpan.FromSeconds(8)), (next.LeaseId, next.Owner, next.AccountId, next.Waited));
    }

    [Theory]
    [InlineData(0, 0, "first-come")]
    [InlineData(5, 0, "important")]
    [InlineData(0, 5, "first-come")]
    public void Higher_priority_first_then_first_come(int importantPriority, int firstPriority, string expected)
    {
        var b = Budget(max: 1);
        b.Request("held", "n", "x", 0, T0);
        Assert.Single(b.Grant(T0));
        b.Request("first-come", "n1", "a", firstPriority, T0.AddSeconds(1));
        b.Request("important", "n2", "b", importantPriority, T0.AddSeconds(2));
        b.Release("held");
        Assert.Equal(expected, Assert.Single(b.Grant(T0.AddSeconds(3))).LeaseId);
    }

    [Fact]
    public void Waiting_ages_one_priority_per_step_so_nothing_starves()
    {
        var b = Budget(max: 1);
        b.Request("held", "n", "x", 0, T0);
        b.Grant(T0);
        b.Request("old", "n1", "a", 0, T0);
        b.Request("new", "n2", "b", 2, T0.AddMinutes(3));
        b.Release("held");
        // After 3 minutes "old" ranks 0 + 3 = 3 against "new"'s 2 + 0.
        Assert.Equal("old", Assert.Single(b.Grant(T0.AddMinutes(3))).LeaseId);
    }

    [Fact]
    public void A_request_known_already_changes_nothing()
    {
        var b = Budget(max: 1);
        Assert.True(b.Request("a", "n", "x", 0, T0));
        Assert.False(b.Request("a", "n", "x", 9, T0));
        b.Grant(T0);
        Assert.False(b.Request("a", "n", "x", 0, T0));
        Assert.Equal((1, 0), (b.Held, b.Queued));
    }

    [Fact]
    public void A_restarted_governor_counts_adopted_leases_even_over_the_cap_and_grants_only_below_it()
    {
        var b = Budget(max: 2);
        b.Request("w", "node3", "acct-w", 0, T0.AddSeconds(9));
        b.Adopt("node1", [new LeaseReport("h1", "a", 0, T0, Held: true), new LeaseReport("h2", "b", 0, T0, Held: true)]);
        b.Adopt("node2", [new LeaseReport("h3", "c", 0, T0, Held: true), new LeaseReport("q1", "d", 0, T0.AddSeconds(1), Held: false)]);
        Assert.Equal((3, 2), (b.Held, b.Queued));
        Assert.Empty(b.Grant(T0.AddSeconds(10)));

        b.Release("h1");
        Assert.Empty(b.Grant(T0.AddSeconds(11))); // 2 held = the cap
        b.Release("h2");
        Assert.Equal("q1", Assert.Single(b.Grant(T0.AddSeconds(12))).LeaseId); // the adopted request keeps its place
    }

    [Fact]
    public void Adopting_a_lease_reported_held_moves_it_out_of_the_queue()
    {
        var b = Budget(max: 2);
        b.Request("l", "node1", "a", 0, T0);
        b.Adopt("node1", [new LeaseReport("l", "a", 0, T0, Held: true)]);
        Assert.True(b.IsHeld("l"));
        Assert.False(b.IsQueued("l"));
        Assert.Equal((1, 0), (b.Held, b.Queued));
    }

    [Fact]
    public void A_node_that_leaves_loses_its_leases_and_requests()
    {
        var b = Budget(max: 2);
        b.Request("a", "node1", "x", 0, T0);
        b.Request("b", "node2", "y", 0, T0);
        b.Grant(T0);
        b.Request("c", "node1", "z", 0, T0);
        b.Request("d", "node2", "w", 0, T0.AddSeconds(1));
        Assert.Equal(["a"], b.HeldBy("node1"));

        Assert.Equal(1, b.ReclaimOwner("node1"));
        Assert.Equal((1, 1), (b.Held, b.Queued));
        Assert.Equal("d", Assert.Single(b.Grant(T0.AddSeconds(2))).LeaseId);
        Assert.Equal(1, b.Figures().ReclaimedTotal);
        Assert.Equal(3, b.Figures().GrantedTotal);
        Assert.False(b.IsIdle);
        b.ReclaimOwner("node2");
        Assert.True(b.IsIdle);
    }
}
