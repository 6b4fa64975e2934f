using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Core.Tests.Tokens;

/// <summary>Example-based checks of the token pool: each cap, the lease life cycle, ordering, aging, expiry and figures.</summary>
public class TokenPoolTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static TokenPool Pool(int sessions = 10, int connecting = 20, int perServer = 4, int leaseMinutes = 30, int agingSeconds = 60) =>
        new(new TokenPoolSettings(sessions, connecting, perServer, TimeSpan.FromMinutes(leaseMinutes), TimeSpan.FromSeconds(agingSeconds)));

    [Fact]
    public void Grants_up_to_max_sessions_then_queues()
    {
        var pool = Pool(sessions: 2, perServer: 10);
        var ids = Enumerable.Range(0, 3).Select(i => pool.Request("a" + i, "s" + i, 0, T0)).ToList();
        var grants = pool.Dispatch(T0);
        Assert.Equal(ids.Take(2), grants.Select(g => g.LeaseId));
        Assert.True(pool.IsQueued(ids[2]));
        Assert.True(pool.Release(ids[0]));
        Assert.Equal([ids[2]], pool.Dispatch(T0).Select(g => g.LeaseId));
    }

    [Fact]
    public void Connecting_cap_is_freed_by_connected_not_only_by_release()
    {
        var pool = Pool(sessions: 10, connecting: 1);
        var a = pool.Request("a", "s1", 0, T0);
        var b = pool.Request("b", "s2", 0, T0);
        Assert.Single(pool.Dispatch(T0));
        Assert.Equal(1, pool.Figures().Connecting);
        Assert.True(pool.Connected(a, T0));
        Assert.False(pool.Connected(a, T0));
        Assert.Equal([b], pool.Dispatch(T0).Select(g => g.LeaseId));
        var figures = pool.Figures();
        Assert.Equal(2, figures.Held);
        Assert.Equal(1, figures.Connecting);
    }

    [Fact]
    public void Per_server_cap_does_not_block_other_servers()
    {
        var pool = Pool(sessions: 10, perServer: 1);
        var a1 = pool.Request("a1", "busy.example", 0, T0);
        var a2 = pool.Request("a2", "BUSY.example", 0, T0);
        var b = pool.Request("b", "other.example", 0, T0);
        Assert.Equal([a1, b], pool.Dispatch(T0).Select(g => g.LeaseId));
        Assert.True(pool.IsQueued(a2));
        Assert.Equal(1, pool.Figures().HeldPerServer["busy.example"]);
        pool.Release(a1);
        Assert.Equal([a2], pool.Dispatch(T0).Select(g => g.LeaseId));
    }

    [Fact]
    public void Higher_priority_first_and_fifo_within_priority()
    {
        var pool = Pool(sessions: 1, perServer: 10);
        var blocker = pool.Request("x", "s", 0, T0);
        pool.Dispatch(T0);
        var low1 = pool.Request("l1", "s", 0, T0);
        var high1 = pool.Request("h1", "s", 5, T0);
        var low2 = pool.Request("l2", "s", 0, T0);
        var high2 = pool.Request("h2", "s", 5, T0);
        var order = new List<long>();
        var held = blocker;
        for (var i = 0; i < 4; i++)
        {
            pool.Release(held);
            held = Assert.Single(pool.Dispatch(T0)).LeaseId;
            order.Add(held);
        }

        Assert.Equal([high1, high2, low1, low2], order);
    }

    [Fact]
    public void Aging_lets_a_long_waiting_low_priority_request_overtake_newcomers()
    {
        var pool = Pool(sessions: 1, perServer: 10, agingSeconds: 60);
        var blocker = pool.Request("x", "s", 0, T0);
        pool.Dispatch(T0);
        var old = pool.Request("old", "s", 0, T0);
        // Four minutes later a priority-3 request arrives; the old one has aged to 4.
        var fresh = pool.Request("new", "s", 3, T0.AddMinutes(4));
        pool.Release(blocker);
        Assert.Equal([old], pool.Dispatch(T0.AddMinutes(4)).Select(g => g.LeaseId));
        pool.Release(old);
        Assert.Equal([fresh], pool.Dispatch(T0.AddMinutes(4)).Select(g => g.LeaseId));
    }

    [Fact]
    public void Release_of_unknown_or_twice_released_lease_is_a_no_op()
    {
        var pool = Pool(sessions: 1);
        Assert.False(pool.Release(42));
        Assert.False(pool.Connected(42, T0));
        var a = pool.Request("a", "s", 0, T0);
        pool.Dispatch(T0);
        Assert.True(pool.Release(a));
        Assert.False(pool.Release(a));
        Assert.Equal(0, pool.Figures().Held);
        Assert.Empty(pool.Figures().HeldPerServer);
    }

    [Fact]
    public void Queued_request_can_be_withdrawn()
    {
        var pool = Pool(sessions: 1);
        var a = pool.Request("a", "s", 0, T0);
        var b = pool.Request("b", "s", 0, T0);
        pool.Dispatch(T0);
        Assert.True(pool.Release(b));
        pool.Release(a);
        Assert.Empty(pool.Dispatch(T0));
        Assert.Equal(0, pool.Figures().Queued);
    }

    [Fact]
    public void Expiry_reclaims_leases_and_connected_restarts_the_clock()
    {
        var pool = Pool(sessions: 2, perServer: 10, leaseMinutes: 30);
        var a = pool.Request("a", "s", 0, T0);
        var b = pool.Request("b", "s", 0, T0);
        pool.Dispatch(T0);
        pool.Connected(b, T0.AddMinutes(20));
        Assert.Empty(pool.Expire(T0.AddMinutes(29)));
        Assert.Equal([a], pool.Expire(T0.AddMinutes(30)));
        Assert.False(pool.Release(a));
        Assert.Equal([b], pool.Expire(T0.AddMinutes(50)));
        var figures = pool.Figures();
        Assert.Equal(0, figures.Held);
        Assert.Equal(0, figures.Connecting);
        Assert.Equal(2, figures.ReclaimedTotal);
        Assert.Equal(2, figures.GrantedTotal);
    }

    [Fact]
    public void Reclaim_counts_as_reclaimed()
    {
        var pool = Pool();
        var a = pool.Request("a", "s", 0, T0);
        pool.Dispatch(T0);
        Assert.True(pool.Reclaim(a));
        Assert.Equal(1, pool.Figures().ReclaimedTotal);
    }

    [Fact]
    public void Wait_figures_cover_recent_grants()
    {
        var pool = Pool(sessions: 1, perServer: 10);
        var held = pool.Request("first", "s", 0, T0);
        pool.Dispatch(T0);
        for (var i = 1; i <= 100; i++)
        {
            pool.Request("a" + i, "s", 0, T0);
        }

        for (var i = 1; i <= 100; i++)
        {
            pool.Release(held);
            held = Assert.Single(pool.Dispatch(T0.AddSeconds(i))).LeaseId;
        }

        var figures = pool.Figures();
        Assert.Equal(TimeSpan.FromSeconds(50), figures.WaitP50);
        Assert.Equal(TimeSpan.FromSeconds(99), figures.WaitP99);
        Assert.Equal(TimeSpan.FromSeconds(100), figures.WaitMax);
        Assert.Equal(101, figures.GrantedTotal);
    }

    [Fact]
    public void Wait_window_is_bounded()
    {
        var pool = Pool(sessions: 1, perServer: 1);
        var first = pool.Request("slow", "s", 0, T0);
        pool.Dispatch(T0);
        pool.Release(first);
        var slow = pool.Request("slow", "s", 0, T0);
        pool.Dispatch(T0.AddHours(1));
        pool.Release(slow);
        Assert.Equal(TimeSpan.FromHours(1), pool.Figures().WaitMax);
        for (var i = 0; i < TokenPool.WaitWindow; i++)
        {
            var id = pool.Request("a", "s", 0, T0.AddHours(2));
            pool.Dispatch(T0.AddHours(2));
            pool.Release(id);
        }

        Assert.Equal(TimeSpan.Zero, pool.Figures().WaitMax);
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    public void Rejects_caps_below_one(int sessions, int connecting, int perServer) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Pool(sessions, connecting, perServer));

    [Fact]
    public void Rejects_non_positive_timeouts()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenPool(TokenPoolSettings.Default with { LeaseTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenPool(TokenPoolSettings.Default with { AgingStep = TimeSpan.Zero }));
    }
}
