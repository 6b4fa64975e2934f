namespace CollectorCluster.Core.Tokens;

/// <summary>
/// The node's connection tokens as plain data, so fairness and the caps can be tested exhaustively without actors,
/// sockets or a real clock (every call takes <c>now</c>). Not thread-safe: one owner (the ConnectionTokens actor).
/// </summary>
/// <remarks>
/// <para>A lease, from <see cref="Dispatch"/> until <see cref="Release"/>, counts against <see cref="TokenPoolSettings.MaxSessions"/>
/// and its server's <see cref="TokenPoolSettings.MaxPerServer"/>; until <see cref="Connected"/> it also counts
/// against <see cref="TokenPoolSettings.MaxConnecting"/> (the half-open attempts Windows limits).</para>
/// <para>Order: highest effective priority first, then first come first served. Effective priority is the request's
/// priority plus one per full <see cref="TokenPoolSettings.AgingStep"/> waited. Bound: a request of priority p that
/// has waited (P − p + 1) × AgingStep outranks every request of priority at most P that arrives later, so from then
/// on it waits only for the finitely many requests already ahead of it (and for its server to have room).</para>
/// <para>No head-of-line blocking: a request whose server is at its cap is skipped, not waited on; it keeps its place.</para>
/// </remarks>
public sealed class TokenPool
{
    /// <summary>Waits remembered for the percentiles.</summary>
    public const int WaitWindow = 1024;

    private readonly TokenPoolSettings _settings;
    private readonly List<Waiting> _queue = [];
    private readonly Dictionary<long, Lease> _leases = [];
    private readonly Dictionary<string, int> _perServer = new(StringComparer.OrdinalIgnoreCase);
    private readonly Queue<TimeSpan> _waits = new();
    private long _nextId;
    private int _connecting;
    private long _granted;
    private long _reclaimed;

    /// <summary>Creates an empty pool; throws if a setting is out of range.</summary>
    public TokenPool(TokenPoolSettings settings)
    {
        settings.Validate();
        _settings = settings;
    }

    /// <summary>The caps.</summary>
    public TokenPoolSettings Settings => _settings;

    /// <summary>Queues a request (server host compared case-insensitively, reported lower-case) and returns its id (which becomes the lease id once granted). Call <see cref="Dispatch"/> next.</summary>
    public long Request(string accountId, string server, int priority, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(server);
        var id = ++_nextId;
        _queue.Add(new Waiting(id, accountId, server.ToLowerInvariant(), priority, now)); // host names are case-insensitive
        return id;
    }

    /// <summary>
    /// Gives a queued request a new priority and arrival time (a server queue's slot request now stands for a better
    /// session). False when <paramref name="id"/> no longer waits (granted or withdrawn): nothing to change.
    /// </summary>
    public bool Reprioritize(long id, int priority, DateTimeOffset since)
    {
        var index = _queue.FindIndex(r => r.Id == id);
        if (index < 0)
        {
            return false;
        }

        _queue[index] = _queue[index] with { Priority = priority, Since = since };
        return true;
    }

    /// <summary>True while <paramref name="id"/> waits in the queue.</summary>
    public bool IsQueued(long id) => _queue.Exists(r => r.Id == id);

    /// <summary>True while <paramref name="id"/> is a held lease.</summary>
    public bool IsHeld(long id) => _leases.ContainsKey(id);

    /// <summary>Grants every request that fits under the caps, best first; returns the grants in order.</summary>
    public IReadOnlyList<TokenGrant> Dispatch(DateTimeOffset now)
    {
        List<TokenGrant>? grants = null;
        while (_leases.Count < _settings.MaxSessions && _connecting < _settings.MaxConnecting)
        {
            var best = -1;
            long bestPriority = 0;
            for (var i = 0; i < _queue.Count; i++)
            {
                var r = _queue[i];
                if (HeldOn(r.Server) >= _settings.MaxPerServer)
                {
                    continue;
                }

                var effective = Effective(r, now);
                // Among equals the one waiting longest wins, then the one queued first (lower index).
                if (best < 0 || effective > bestPriority || (effective == bestPriority && r.Since < _queue[best].Since))
                {
                    best = i;
                    bestPriority = effective;
                }
            }

            if (best < 0)
            {
                break;
            }

            var request = _queue[best];
            _queue.RemoveAt(best);
            var waited = now > request.Since ? now - request.Since : TimeSpan.Zero;
            _leases[request.Id] = new Lease(request.Id, request.AccountId, request.Server, now + _settings.LeaseTimeout) { IsConnecting = true };
            _connecting++;
            _perServer[request.Server] = HeldOn(request.Server) + 1;
            _granted++;
            _waits.Enqueue(waited);
            if (_waits.Count > WaitWindow)
            {
                _waits.Dequeue();
            }

            (grants ??= []).Add(new TokenGrant(request.Id, request.AccountId, request.Server, waited));
        }

        return grants ?? (IReadOnlyList<TokenGrant>)[];
    }

    /// <summary>The lease's connect finished: its half-open slot is free and its timeout starts again. False if unknown or already connected.</summary>
    public bool Connected(long leaseId, DateTimeOffset now)
    {
        if (!_leases.TryGetValue(leaseId, out var lease) || !lease.IsConnecting)
        {
            return false;
        }

        lease.IsConnecting = false;
        lease.ExpiresAt = now + _settings.LeaseTimeout;
        _connecting--;
        return true;
    }

    /// <summary>Ends a lease, or withdraws a request still queued. Unknown, expired or already released ids: no-op, false.</summary>
    public bool Release(long id) => Free(id, reclaimed: false);

    /// <summary>Like <see cref="Release"/>, for a holder that died without releasing; counted as reclaimed.</summary>
    public bool Reclaim(long id) => Free(id, reclaimed: true);

    /// <summary>Reclaims every lease past its timeout; returns their ids.</summary>
    public IReadOnlyList<long> Expire(DateTimeOffset now)
    {
        var expired = _leases.Values.Where(l => l.ExpiresAt <= now).Select(l => l.Id).ToList();
        foreach (var id in expired)
        {
            Free(id, reclaimed: true);
        }

        return expired;
    }

    /// <summary>The figures now.</summary>
    public TokenFigures Figures()
    {
        var sorted = _waits.OrderBy(w => w).ToArray();
        return new TokenFigures(
            _queue.Count,
            _leases.Count,
            _connecting,
            new Dictionary<string, int>(_perServer, StringComparer.OrdinalIgnoreCase),
            _granted,
            _reclaimed,
            Percentile(sorted, 0.50),
            Percentile(sorted, 0.99),
            sorted.Length == 0 ? TimeSpan.Zero : sorted[^1]);
    }

    private static TimeSpan Percentile(TimeSpan[] sorted, double p) =>
        sorted.Length == 0 ? TimeSpan.Zero : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private long Effective(Waiting r, DateTimeOffset now) =>
        r.Priority + (now > r.Since ? (now - r.Since).Ticks / _settings.AgingStep.Ticks : 0);

    private int HeldOn(string server) => _perServer.TryGetValue(server, out var n) ? n : 0;

    private bool Free(long id, bool reclaimed)
    {
        if (_leases.Remove(id, out var lease))
        {
            if (lease.IsConnecting)
            {
                _connecting--;
            }

            var left = HeldOn(lease.Server) - 1;
            if (left == 0)
            {
                _perServer.Remove(lease.Server);
            }
            else
            {
                _perServer[lease.Server] = left;
            }

            if (reclaimed)
            {
                _reclaimed++;
            }

            return true;
        }

        var index = _queue.FindIndex(r => r.Id == id);
        if (index < 0)
        {
            return false;
        }

        _queue.RemoveAt(index);
        return true;
    }

    private sealed record Waiting(long Id, string AccountId, string Server, int Priority, DateTimeOffset Since);

    private sealed class Lease(long id, string accountId, string server, DateTimeOffset expiresAt)
    {
        public long Id { get; } = id;

        public string AccountId { get; } = accountId;

        public string Server { get; } = server;

        public DateTimeOffset ExpiresAt { get; set; } = expiresAt;

        public bool IsConnecting { get; set; }
    }
}
