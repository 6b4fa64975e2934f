namespace CollectorCluster.Core.Tokens;

/// <summary>
/// One remote POP3 server's session budget for the whole cluster, as plain data: the sessions waiting for it (from any
/// node; highest effective priority first, first come first served within a priority, one more priority per
/// <c>agingStep</c> waited, so nothing starves) and the leases held, never more than <see cref="MaxPerServer"/> granted.
/// Not thread-safe: one owner (the server's governor actor, one in the cluster).
/// </summary>
/// <remarks>
/// <para>Nodes are owners: each lease and request belongs to the node that asked, and a node that leaves the cluster
/// (its tokens actor terminated) loses them all at once (<see cref="ReclaimOwner"/>).</para>
/// <para>A governor that starts again (its node died, or its shard moved) knows nothing, so it calls the roll and
/// <see cref="Adopt"/>s what every node reports before it grants: a held lease is counted even if that puts the server
/// over its cap (the session is connected; the count is the truth), and nothing more is granted until it is below.</para>
/// </remarks>
public sealed class ServerBudget
{
    /// <summary>Waits remembered for the percentiles.</summary>
    public const int WaitWindow = 256;

    private readonly List<Waiting> _waiting = [];
    private readonly Dictionary<string, Holding> _held = new(StringComparer.Ordinal);
    private readonly Queue<TimeSpan> _waits = new();
    private readonly TimeSpan _agingStep;
    private long _arrivals;
    private long _granted;
    private long _reclaimed;

    /// <summary>Creates the empty budget of one server (host name, lower-cased).</summary>
    public ServerBudget(string server, int maxPerServer, TimeSpan agingStep)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPerServer, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(agingStep, TimeSpan.Zero);
        Server = server.ToLowerInvariant();
        MaxPerServer = maxPerServer;
        _agingStep = agingStep;
    }

    /// <summary>The server's host name, lower-case.</summary>
    public string Server { get; }

    /// <summary>The cap on leases held at once, cluster-wide.</summary>
    public int MaxPerServer { get; }

    /// <summary>Sessions waiting.</summary>
    public int Queued => _waiting.Count;

    /// <summary>Leases held.</summary>
    public int Held => _held.Count;

    /// <summary>True when nothing waits and nothing is held: the governor may stop.</summary>
    public bool IsIdle => _waiting.Count == 0 && _held.Count == 0;

    /// <summary>True while <paramref name="leaseId"/> waits.</summary>
    public bool IsQueued(string leaseId) => _waiting.Exists(w => w.LeaseId == leaseId);

    /// <summary>True while <paramref name="leaseId"/> is held.</summary>
    public bool IsHeld(string leaseId) => _held.ContainsKey(leaseId);

    /// <summary>Queues a request of <paramref name="owner"/>; false (nothing changes) when the id is already waiting or held.</summary>
    public bool Request(string leaseId, string owner, string accountId, int priority, DateTimeOffset since)
    {
        ArgumentNullException.ThrowIfNull(leaseId);
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(accountId);
        if (_held.ContainsKey(leaseId) || IsQueued(leaseId))
        {
            return false;
        }

        _waiting.Add(new Waiting(leaseId, owner, accountId, priority, since, _arrivals++));
        return true;
    }

    /// <summary>
    /// Takes in what <paramref name="owner"/> reports after a roll call: held leases are counted as held (even over the
    /// cap), waiting ones queued at their original place. Known ids keep their state, except that a lease the owner
    /// reports as held is held.
    /// </summary>
    public void Adopt(string owner, IEnumerable<LeaseReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        foreach (var r in reports)
        {
            if (r.Held)
            {
                var index = _waiting.FindIndex(w => w.LeaseId == r.LeaseId);
                if (index >= 0)
                {
                    _waiting.RemoveAt(index);
                }

                _held.TryAdd(r.LeaseId, new Holding(owner, r.AccountId));
            }
            else
            {
                Request(r.LeaseId, owner, r.AccountId, r.Priority, r.Since);
            }
        }
    }

    /// <summary>Grants the best waiting requests while fewer than <see cref="MaxPerServer"/> are held; returns them in order.</summary>
    public IReadOnlyList<ServerLeaseGrant> Grant(DateTimeOffset now)
    {
        List<ServerLeaseGrant>? grants = null;
        while (_held.Count < MaxPerServer && _waiting.Count > 0)
        {
            var best = 0;
            for (var i = 1; i < _waiting.Count; i++)
            {
                if (Before(_waiting[i], _waiting[best], now))
                {
                    best = i;
                }
            }

            var w = _waiting[best];
            _waiting.RemoveAt(best);
            _held[w.LeaseId] = new Holding(w.Owner, w.AccountId);
            var waited = now > w.Since ? now - w.Since : TimeSpan.Zero;
            _granted++;
            _waits.Enqueue(waited);
            if (_waits.Count > WaitWindow)
            {
                _waits.Dequeue();
            }

            (grants ??= []).Add(new ServerLeaseGrant(w.LeaseId, w.Owner, w.AccountId, waited));
        }

        return grants ?? (IReadOnlyList<ServerLeaseGrant>)[];
    }

    /// <summary>Ends a held lease or withdraws a waiting request; false for unknown ids (released twice, or never adopted).</summary>
    public bool Release(string leaseId)
    {
        if (_held.Remove(leaseId))
        {
            return true;
        }

        var index = _waiting.FindIndex(w => w.LeaseId == leaseId);
        if (index < 0)
        {
            return false;
        }

        _waiting.RemoveAt(index);
        return true;
    }

    /// <summary>Everything of <paramref name="owner"/> (a node that left): its held leases are reclaimed, its requests dropped. Returns the leases reclaimed.</summary>
    public int ReclaimOwner(string owner)
    {
        var held = _held.Where(h => h.Value.Owner == owner).Select(h => h.Key).ToList();
        foreach (var id in held)
        {
            _held.Remove(id);
        }

        _waiting.RemoveAll(w => w.Owner == owner);
        _reclaimed += held.Count;
        return held.Count;
    }

    /// <summary>The held leases of <paramref name="owner"/>.</summary>
    public IReadOnlyList<string> HeldBy(string owner) => [.. _held.Where(h => h.Value.Owner == owner).Select(h => h.Key)];

    /// <summary>The figures now (cluster-wide for this server).</summary>
    public ServerTokenFigures Figures() => new(Server, _waiting.Count, _held.Count, 0, _granted, _reclaimed, [.. _waits]);

    private bool Before(Waiting a, Waiting b, DateTimeOffset now)
    {
        var ra = Rank(a, now);
        var rb = Rank(b, now);
        return ra != rb ? ra > rb : a.Since != b.Since ? a.Since < b.Since : a.Arrival < b.Arrival;
    }

    private long Rank(Waiting w, DateTimeOffset now) =>
        w.Priority + (now > w.Since ? (now - w.Since).Ticks / _agingStep.Ticks : 0);

    private sealed record Waiting(string LeaseId, string Owner, string AccountId, int Priority, DateTimeOffset Since, long Arrival);

    private sealed record Holding(string Owner, string AccountId);
}
