using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Core.Tests.Tokens;

/// <summary>One server's queue: what it asks the node pool for, who a granted slot goes to, and the grant that races a withdrawal.</summary>
public class ServerQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static ServerQueue Queue(int maxPerServer = 2) => new("POP.Example", maxPerServer, TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(1));

    [Fact]
    public void Asks_only_for_waiting_sessions_that_fit_under_the_server_cap()
    {
        var q = Queue(maxPerServer: 2);
        Assert.Equal("pop.example", q.Server);
        Assert.Empty(q.Asks(T0));
        q.Request(1, "a", 0, T0);
        q.Request(2, "b", 3, T0.AddSeconds(1));
        q.Request(3, "c", 0, T0.AddSeconds(2));

        var asks = q.Asks(T0.AddSeconds(3));
        Assert.Equal([new SlotAsk(3, T0.AddSeconds(1)), new SlotAsk(0, T0)], asks);
        q.TicketAsked(10, asks[0]);
        q.TicketAsked(11, asks[1]);
        Assert.Empty(q.Asks(T0.AddSeconds(3))); // two asked = the cap, though three wait
        Assert.Empty(q.Reranks(T0.AddSeconds(3)));

        q.Request(4, "d", 9, T0.AddSeconds(4)); // more important than both asks: the weaker ticket now stands for it
        Assert.Equal([(10L, new SlotAsk(9, T0.AddSeconds(4))), (11L, new SlotAsk(3, T0.AddSeconds(1)))], q.Reranks(T0.AddSeconds(4)));
    }

    [Fact]
    public void A_granted_slot_goes_to_the_best_waiting_session()
    {
        var q = Queue(maxPerServer: 1);
        q.Request(1, "a", 0, T0);
        q.Request(2, "b", 3, T0.AddSeconds(5));
        q.TicketAsked(10, Assert.Single(q.Asks(T0)));
        var grant = q.Granted(10, T0.AddSeconds(9));
        Assert.Equal(new TokenGrant(2, "b", "pop.example", TimeSpan.FromSeconds(4)), grant);
        Assert.Equal(1, q.Held);
        Assert.Equal(1, q.Queued);
        Assert.Equal(10, q.Connected(2, T0.AddSeconds(10)));
        Assert.Null(q.Connected(2, T0.AddSeconds(10)));
        Assert.Equal([10L], q.Release(2));
        Assert.Empty(q.Release(2));
    }

    [Fact]
    public void A_withdrawal_hands_back_the_surplus_ticket_and_its_late_grant_is_dropped()
    {
        var q = Queue();
        q.Request(1, "a", 0, T0);
        q.TicketAsked(10, Assert.Single(q.Asks(T0)));

        Assert.Equal([10L], q.Release(1)); // nobody left for ticket 10: it goes back to the pool
        Assert.Null(q.Granted(10, T0)); // the grant that crossed the hand-back is ignored (the pool freed it)
        Assert.True(q.IsIdle);
    }

    [Fact]
    public void Reclaimed_and_expired_leases_are_counted_and_return_their_tickets()
    {
        var q = Queue();
        q.Request(1, "a", 0, T0);
        q.Request(2, "b", 0, T0);
        q.TicketAsked(10, new SlotAsk(0, T0));
        q.TicketAsked(11, new SlotAsk(0, T0));
        q.Granted(10, T0);
        q.Granted(11, T0);
        Assert.Equal([10L], q.Reclaim(1));
        Assert.Empty(q.Expire(T0.AddMinutes(29)));
        Assert.Equal([(2L, 11L)], q.Expire(T0.AddMinutes(30)));
        var f = q.Figures();
        Assert.Equal(2, f.ReclaimedTotal);
        Assert.Equal(2, f.GrantedTotal);
        Assert.Equal(0, f.Held);
    }

    [Fact]
    public void Duplicate_ids_are_refused()
    {
        var q = Queue();
        q.Request(1, "a", 0, T0);
        Assert.Throws<ArgumentException>(() => q.Request(1, "a", 0, T0));
        q.TicketAsked(5, new SlotAsk(0, T0));
        Assert.Throws<ArgumentException>(() => q.TicketAsked(5, new SlotAsk(0, T0)));
    }
}
