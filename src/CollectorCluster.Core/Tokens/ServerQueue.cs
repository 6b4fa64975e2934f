namespace CollectorCluster.Core.Tokens;

/// <summary>
/// One remote server's share of the connection tokens, as plain data: its waiting sessions (highest effective
/// priority first, first come first served within a priority, aged like <see cref="TokenPool"/>), its leases, and
/// the node-wide slots it has asked the node pool for. Not thread-safe: one owner (a per-server tokens actor).
/// </summary>
/// <remarks>
/// <para>The split with the node pool is what keeps the caps exact without a stall. The queue asks for a node slot
/// (a "ticket") only for a session that is waiting <em>and</em> fits under <see cref="MaxPerServer"/>
/// (<c>held + asked ≤ max-per-server</c>, <c>asked ≤ waiting</c>), so the node pool never needs to know about
/// per-server caps and can never be blocked by a full server. A granted ticket becomes a lease at once
/// (<see cref="Granted"/>); if the session it was meant for withdrew meanwhile, the ticket was already handed back
/// (<see cref="Withdraw"/> returns it), so a node slot is never held by a server that has nobody to give it to.</para>
/// </remarks>
public sealed class ServerQueue
{
    /// <summary>Waits remembered for the percentiles.</summary>
    public const int WaitWindow = 256;

    private readonly List<Waiting> _waiting = [];
    private readonly Dictionary<long, Lease> _leases = [];
    private readonly Dictionary<long, SlotAsk> _asked = [];
    private readonly Queue<TimeSpan> _waits = new();
    private readonly TimeSpan _leaseTimeout;
    private readonly TimeSpan _agingStep;
    private long _granted;
    private long _reclaimed;

    /// <summary>Creates the empty queue of one server (host name, lower-cased).</summary>
    public ServerQueue(string server, int maxPerServer, TimeSpan leaseTimeout, TimeSpan agingStep)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerServer, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(agingStep, TimeSpan.Zero);
        Server = server.ToLowerInvariant();
        MaxPerServer = maxPerServer;
        _leaseTimeout = leaseTimeout;
        _agingStep = agingStep;
    }

    /// <summary>The server's host name, lower-case.</summary>
    public string Server { get; }

    /// <summary>The cap on this server's leases.</summary>
    public int MaxPerServer { get; }

    /// <summary>Sessions waiting.</summary>
    public int Queued => _waiting.Count;

    /// <summary>Leases held (granted and not yet released).</summary>
    public int Held => _leases.Count;

    /// <summary>Node slots asked for and not yet granted or handed back.</summary>
    public int Asked => _asked.Count;

    /// <summary>True when nothing waits, nothing is held and nothing is asked: the queue can be dropped.</summary>
    public bool IsIdle => _waiting.Count == 0 && _leases.Count == 0 && _asked.Count == 0;

    /// <summary>Queues a session under the caller's unique <paramref name="id"/> (the lease id once granted).</summary>
    public void Request(long id, string accountId, int priority, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        if (IsQueued(id) || _leases.ContainsKey(id))
        {
            throw new ArgumentException($"request {id} is already known to server {Server}", nameof(id));
        }

        _waiting.Add(new Waiting(id, accountId, priority, now));
    }

    /// <summary>True while <paramref name="id"/> waits.</summary>
    public bool IsQueued(long id) => _waiting.Exists(w => w.Id == id);

    /// <summary>True while <paramref name="id"/> is a held lease.</summary>
    public bool IsHeld(long id) => _leases.ContainsKey(id);

    /// <summary>
    /// The node slots to ask for now, as (priority, since) of the waiting sessions they stand for, best first. The
    /// caller must pass each ticket id it obtains, with its ask, to <see cref="TicketAsked"/>.
    /// </summary>
    public IReadOnlyList<SlotAsk> Asks(DateTimeOffset now)
    {
        var room = Math.Min(MaxPerServer - _leases.Count, _waiting.Count) - _asked.Count;
        if (room <= 0)
        {
            return [];
        }

        // The sessions not yet covered by a ticket are the ones after the first Asked in order.
        return Ordered(now).Skip(_asked.Count).Take(room).Select(w => new SlotAsk(w.Priority, w.Since)).ToList();
    }

    /// <summary>
    /// Tickets whose ask no longer matches the sessions they stand for (a better session arrived, or the one a
    /// ticket stood for left): the new (priority, since) to give the pool for each, so an important session on a
    /// server that is at its cap of asks still outranks other servers' work. Already recorded here.
    /// </summary>
    public IReadOnlyList<(long Ticket, SlotAsk Ask)> Reranks(DateTimeOffset now)
    {
        if (_asked.Count == 0)
        {
            return [];
        }

        var wanted = Ordered(now).Take(_asked.Count).Select(w => new SlotAsk(w.Priority, w.Since)).ToList();
        var tickets = _asked.OrderByDescending(t => Rank(t.Value, now)).ThenBy(t => t.Value.Since).Select(t => t.Key).ToList();
        var changes = new List<(long, SlotAsk)>();
        for (var i = 0; i < tickets.Count; i++)
        {
            if (_asked[tickets[i]] != wanted[i])
            {
                _asked[tickets[i]] = wanted[i];
                changes.Add((tickets[i], wanted[i]));
            }
        }

        return changes;
    }

    /// <summary>Records a ticket the node pool now holds for this server, with the ask it was sent with.</summary>
    public void TicketAsked(long ticket, SlotAsk ask)
    {
        if (!_asked.TryAdd(ticket, ask))
        {
            throw new ArgumentException($"ticket {ticket} already asked for on {Server}", nameof(ticket));
        }
    }

    /// <summary>
    /// The node pool granted <paramref name="ticket"/>: the best waiting session gets it as its lease. Null when the
    /// ticket is not (any longer) this queue's, i.e. it was handed back by <see cref="Withdraw"/> before the grant
    /// arrived: the pool has freed it already, so the caller drops the grant.
    /// </summary>
    public TokenGrant? Granted(long ticket, DateTimeOffset now)
    {
        if (!_asked.Remove(ticket))
        {
            return null;
        }

        // Invariant asked ≤ waiting, kept by Withdraw: there is always someone to give the ticket to.
        var best = Ordered(now).First();
        _waiting.Remove(best);
        var waited = now > best.Since ? now - best.Since : TimeSpan.Zero;
        _leases[best.Id] = new Lease(best.Id, ticket, now + _leaseTimeout) { IsConnecting = true };
        _granted++;
        _waits.Enqueue(waited);
        if (_waits.Count > WaitWindow)
        {
            _waits.Dequeue();
        }

        return new TokenGrant(best.Id, best.AccountId, Server, waited);
    }

    /// <summary>The lease's connect is over: returns its node slot (ticket) to tell the pool, or null if unknown or already connected. Its timeout starts again.</summary>
    public long? Connected(long leaseId, DateTimeOffset now)
    {
        if (!_leases.TryGetValue(leaseId, out var lease) || !lease.IsConnecting)
        {
            return null;
        }

        lease.IsConnecting = false;
        lease.ExpiresAt = now + _leaseTimeout;
        return lease.Ticket;
    }

    /// <summary>
    /// Ends a lease or withdraws a waiting session. Returns the node slots to hand back to the pool: the lease's
    /// ticket, or, for a withdrawn session, a ticket that no longer has a session to stand for. Unknown ids: empty.
    /// </summary>
    public IReadOnlyList<long> Release(long id) => Free(id, reclaimed: false);

    /// <summary>Like <see cref="Release"/>, for a holder that died; a held lease counts as reclaimed.</summary>
    public IReadOnlyList<long> Reclaim(long id) => Free(id, reclaimed: true);

    /// <summary>Reclaims the leases past their timeout: returns (lease id, ticket) pairs; the tickets go back to the pool.</summary>
    public IReadOnlyList<(long LeaseId, long Ticket)> Expire(DateTimeOffset now)
    {
        var expired = _leases.Values.Where(l => l.ExpiresAt <= now).Select(l => (l.Id, l.Ticket)).ToList();
        foreach (var (id, _) in expired)
        {
            Free(id, reclaimed: true);
        }

        return expired;
    }

    /// <summary>The figures now.</summary>
    public ServerTokenFigures Figures() => new(
        Server,
        _waiting.Count,
        _leases.Count,
        _leases.Values.Count(l => l.IsConnecting),
        _granted,
        _reclaimed,
        [.. _waits]);

    private IEnumerable<Waiting> Ordered(DateTimeOffset now) =>
        _waiting.Select((w, i) => (w, i)).OrderByDescending(x => Effective(x.w, now)).ThenBy(x => x.w.Since).ThenBy(x => x.i).Select(x => x.w);

    private long Effective(Waiting w, DateTimeOffset now) => Rank(new SlotAsk(w.Priority, w.Since), now);

    private long Rank(SlotAsk a, DateTimeOffset now) =>
        a.Priority + (now > a.Since ? (now - a.Since).Ticks / _agingStep.Ticks : 0);

    private IReadOnlyList<long> Free(long id, bool reclaimed)
    {
        if (_leases.Remove(id, out var lease))
        {
            if (reclaimed)
            {
                _reclaimed++;
            }

            return [lease.Ticket];
        }

        var index = _waiting.FindIndex(w => w.Id == id);
        if (index < 0)
        {
            return [];
        }

        _waiting.RemoveAt(index);
        if (_asked.Count <= _waiting.Count)
        {
            return [];
        }

        // One ticket too many: hand the newest back (the pool frees it whether queued or already granted).
        var surplus = _asked.Keys.Max();
        _asked.Remove(surplus);
        return [surplus];
    }

    private sealed record Waiting(long Id, string AccountId, int Priority, DateTimeOffset Since);

    private sealed class Lease(long id, long ticket, DateTimeOffset expiresAt)
    {
        public long Id { get; } = id;

        public long Ticket { get; } = ticket;

        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public bool IsConnecting { get; set; }
    }
}
