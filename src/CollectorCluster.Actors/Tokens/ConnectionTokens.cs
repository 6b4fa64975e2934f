using Akka.Actor;
using Akka.Event;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// A node's connection tokens (<c>/user/connection-tokens</c>), the one address its sessions ask. Each request first
/// gets a share of its server's budget from the server's governor (cluster-wide max-per-server), then a slot of this
/// node (<see cref="TokenPool"/>: max-pop3-clients live, max-connecting half-open), and only then is granted: a node
/// slot is never held while waiting for a server. Holders are death-watched (a dead one returns everything); a
/// session that makes no progress for lease-timeout has its lease revoked (it aborts), and one that does not give the
/// lease back within <see cref="RevokeGrace"/> after that is stopped and its lease reclaimed. A restarted governor's
/// roll call is answered with this node's leases and requests on its server.
/// </summary>
public sealed class ConnectionTokens : ReceiveActor, IWithTimers
{
    /// <summary>The actor's name under <c>/user</c>, where governors call the roll.</summary>
    public const string Name = "connection-tokens";

    /// <summary>How long a holder has, after its lease was revoked, to abort its session and give the lease back.</summary>
    public static readonly TimeSpan RevokeGrace = TimeSpan.FromMinutes(1);

    private readonly TokenPool _pool;
    private readonly TokenPoolSettings _settings;
    private readonly TimeProvider _clock;
    private readonly IActorRef _servers;
    private readonly TokenMetrics? _metrics;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly string _incarnation = Guid.NewGuid().ToString("N")[..12];
    private readonly Dictionary<long, Request> _requests = [];
    private readonly Dictionary<string, Request> _byLease = new(StringComparer.Ordinal);
    private readonly Dictionary<long, Request> _byPoolId = [];
    private readonly Dictionary<IActorRef, HashSet<long>> _byHolder = [];
    private readonly Dictionary<string, IActorRef> _governors = new(StringComparer.Ordinal);
    private readonly HashSet<string> _recentServers = new(StringComparer.Ordinal);
    private readonly Queue<TimeSpan> _waits = new();
    private long _nextId;
    private long _granted;
    private long _reclaimed;

    /// <summary>Creates the node's tokens.</summary>
    /// <param name="settings">The caps (max-per-server is the governors').</param>
    /// <param name="clock">The clock.</param>
    /// <param name="sweepEvery">How often progress deadlines are checked.</param>
    /// <param name="servers">Where server budgets are governed: the governors' shard region, or null for local governors (no cluster).</param>
    /// <param name="metrics">The token instruments, if any.</param>
    public ConnectionTokens(TokenPoolSettings settings, TimeProvider clock, TimeSpan sweepEvery, IActorRef? servers, TokenMetrics? metrics)
    {
        _settings = settings;
        // Per-server caps are the governors' (cluster-wide); the node pool only caps the node.
        _pool = new TokenPool(settings with { MaxPerServer = settings.MaxSessions });
        _clock = clock;
        _metrics = metrics;
        _servers = servers ?? Context.ActorOf(LocalServerGovernors.Props(settings.MaxPerServer, settings.AgingStep, clock), "servers");
        Timers.StartPeriodicTimer("sweep", Sweep.Instance, sweepEvery);

        Receive<RequestLease>(Requested);
        Receive<ServerLeaseGranted>(ServerGranted);
        Receive<LeaseConnected>(m =>
        {
            if (_requests.TryGetValue(m.LeaseId, out var r) && r.PoolId is { } poolId && _pool.Connected(poolId, _clock.GetUtcNow()))
            {
                r.Connected = true;
                r.LastProgress = _clock.GetUtcNow();
                Dispatch();
            }
        });
        Receive<LeaseProgress>(m =>
        {
            if (_requests.TryGetValue(m.LeaseId, out var r) && r.RevokedAt is null)
            {
                r.LastProgress = _clock.GetUtcNow();
            }
        });
        Receive<ReleaseLease>(m =>
        {
            if (_requests.TryGetValue(m.LeaseId, out var r))
            {
                Free(r, reclaimed: false);
                Dispatch();
            }
        });
        Receive<Terminated>(t =>
        {
            foreach (var server in _governors.Where(g => g.Value.Equals(t.ActorRef)).Select(g => g.Key).ToList())
            {
                _governors.Remove(server); // the next grant, from its successor, is taken
            }

            if (_byHolder.Remove(t.ActorRef, out var ids))
            {
                foreach (var id in ids.ToList())
                {
                    if (_requests.TryGetValue(id, out var r))
                    {
                        Free(r, reclaimed: true);
                    }
                }

                Dispatch();
            }
        });
        Receive<RollCall>(m =>
        {
            Govern(m.Server, Sender);
            var leases = _requests.Values.Where(r => r.Server == m.Server)
                .Select(r => new LeaseReport(r.LeaseId, r.AccountId, r.Priority, r.Since, Held: r.ServerHeld))
                .ToList();
            Sender.Tell(new RollCallAnswer(m.Server, leases));
        });
        Receive<Sweep>(_ => SweepDeadlines());
        Receive<GetTokenFigures>(_ =>
        {
            var servers = _recentServers.Union(_requests.Values.Select(r => r.Server)).Order(StringComparer.Ordinal).ToList();
            _recentServers.Clear();
            var connecting = _requests.Values.Where(r => r.Granted && !r.Connected).GroupBy(r => r.Server).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            Context.ActorOf(TokenFiguresQuery.Props(NodeFigures(), _servers, servers, connecting, Sender));
        });
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the node's one instance (name it <see cref="Name"/>).</summary>
    public static Props Props(TokenPoolSettings settings, TimeProvider clock, TimeSpan? sweepEvery = null, IActorRef? servers = null, TokenMetrics? metrics = null) =>
        Akka.Actor.Props.Create(() => new ConnectionTokens(settings, clock, sweepEvery ?? TimeSpan.FromSeconds(10), servers, metrics));

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    private void Requested(RequestLease m)
    {
        var server = m.Server.ToLowerInvariant();
        var id = ++_nextId;
        var r = new Request(id, $"{_incarnation}-{id}", Sender, server, m.AccountId, m.Priority, _clock.GetUtcNow());
        _requests[id] = r;
        _byLease[r.LeaseId] = r;
        _recentServers.Add(server);
        if (!Sender.IsNobody())
        {
            if (!_byHolder.TryGetValue(Sender, out var ids))
            {
                _byHolder[Sender] = ids = [];
                Context.Watch(Sender);
            }

            ids.Add(id);
        }

        _servers.Tell(new AcquireServerLease(server, r.LeaseId, r.AccountId, r.Priority, r.Since));
        Publish(server);
    }

    private void ServerGranted(ServerLeaseGranted m)
    {
        if (_governors.TryGetValue(m.Server, out var governor) && !governor.Equals(Sender))
        {
            // Not from the governor that last called our roll: maybe from one since replaced (messages of different
            // senders are not ordered). Hand it back to that sender (gone: dropped) and ask again through the region,
            // so the live governor's count stays right; its DeathWatch clears the doubt (Terminated below).
            Sender.Tell(new ReleaseServerLease(m.Server, m.LeaseId));
            if (_byLease.TryGetValue(m.LeaseId, out var waiting) && !waiting.ServerHeld)
            {
                _servers.Tell(new AcquireServerLease(waiting.Server, waiting.LeaseId, waiting.AccountId, waiting.Priority, waiting.Since));
            }

            return;
        }

        Govern(m.Server, Sender);
        if (!_byLease.TryGetValue(m.LeaseId, out var r))
        {
            Sender.Tell(new ReleaseServerLease(m.Server, m.LeaseId)); // withdrawn meanwhile
            return;
        }

        if (r.ServerHeld)
        {
            return; // granted again by a governor that adopted it as waiting: already ours
        }

        r.ServerHeld = true;
        r.PoolId = _pool.Request(r.AccountId, r.Server, r.Priority, r.Since);
        _byPoolId[r.PoolId.Value] = r;
        Dispatch();
    }

    /// <summary>Remembers the live governor of a server, watched so its successor is believed once it is gone.</summary>
    private void Govern(string server, IActorRef governor)
    {
        if (_governors.TryGetValue(server, out var known) && known.Equals(governor))
        {
            return;
        }

        _governors[server] = governor;
        Context.Watch(governor);
    }

    private void Dispatch()
    {
        var now = _clock.GetUtcNow();
        foreach (var grant in _pool.Dispatch(now))
        {
            if (!_byPoolId.TryGetValue(grant.LeaseId, out var r))
            {
                continue;
            }

            r.Granted = true;
            r.LastProgress = now;
            _granted++;
            var waited = now > r.Since ? now - r.Since : TimeSpan.Zero;
            _waits.Enqueue(waited);
            if (_waits.Count > ServerBudget.WaitWindow)
            {
                _waits.Dequeue();
            }

            _metrics?.Granted(r.Server, waited);
            r.Holder.Tell(new LeaseGranted(r.Id));
            Publish(r.Server);
        }
    }

    private void Free(Request r, bool reclaimed)
    {
        _requests.Remove(r.Id);
        _byLease.Remove(r.LeaseId);
        if (r.PoolId is { } poolId)
        {
            _byPoolId.Remove(poolId);
            if (reclaimed)
            {
                _pool.Reclaim(poolId);
            }
            else
            {
                _pool.Release(poolId);
            }
        }

        if (reclaimed && r.Granted)
        {
            _reclaimed++;
            _metrics?.Reclaimed(r.Server);
        }

        if (_byHolder.TryGetValue(r.Holder, out var ids) && ids.Remove(r.Id) && ids.Count == 0)
        {
            _byHolder.Remove(r.Holder);
            Context.Unwatch(r.Holder);
        }

        _servers.Tell(new ReleaseServerLease(r.Server, r.LeaseId));
        _recentServers.Add(r.Server);
        Publish(r.Server);
    }

    private void SweepDeadlines()
    {
        var now = _clock.GetUtcNow();
        foreach (var r in _requests.Values.Where(r => r.Granted).ToList())
        {
            if (r.RevokedAt is null && now - r.LastProgress >= _settings.LeaseTimeout)
            {
                r.RevokedAt = now;
                _log.Warning("Connection lease of account {0} on {1}: no progress for {2} (lease-timeout); the session is aborted", r.AccountId, r.Server, _settings.LeaseTimeout);
                r.Holder.Tell(new LeaseRevoked(r.Id));
            }
            else if (r.RevokedAt is { } revoked && now - revoked >= RevokeGrace)
            {
                _log.Warning("Connection lease of account {0} on {1}: not given back {2} after it was revoked; reclaimed", r.AccountId, r.Server, RevokeGrace);
                if (!r.Holder.IsNobody())
                {
                    r.Holder.Tell(PoisonPill.Instance);
                }

                Free(r, reclaimed: true);
            }
        }

        Dispatch();
    }

    private TokenFigures NodeFigures()
    {
        var pool = _pool.Figures();
        var granted = _requests.Values.Where(r => r.Granted).ToList();
        var waits = _waits.ToList();
        return new TokenFigures(
            _requests.Count - granted.Count,
            granted.Count,
            pool.Connecting,
            granted.GroupBy(r => r.Server).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase),
            _granted,
            _reclaimed,
            WaitStatistics.Percentile(waits, 0.50),
            WaitStatistics.Percentile(waits, 0.99),
            waits.Count == 0 ? TimeSpan.Zero : waits.Max());
    }

    private void Publish(string server)
    {
        if (_metrics is null)
        {
            return;
        }

        var queued = 0;
        var held = 0;
        foreach (var r in _requests.Values)
        {
            if (r.Server == server)
            {
                if (r.Granted)
                {
                    held++;
                }
                else
                {
                    queued++;
                }
            }
        }

        _metrics.Publish(server, queued, held);
    }

    private sealed class Request(long id, string leaseId, IActorRef holder, string server, string accountId, int priority, DateTimeOffset since)
    {
        public long Id { get; } = id;

        public string LeaseId { get; } = leaseId;

        public IActorRef Holder { get; } = holder;

        public string Server { get; } = server;

        public string AccountId { get; } = accountId;

        public int Priority { get; } = priority;

        public DateTimeOffset Since { get; } = since;

        /// <summary>The server's governor granted its share.</summary>
        public bool ServerHeld { get; set; }

        /// <summary>The node pool's id, once asked.</summary>
        public long? PoolId { get; set; }

        /// <summary>Granted to the holder.</summary>
        public bool Granted { get; set; }

        /// <summary>Its connect is over (no longer counts against max-connecting).</summary>
        public bool Connected { get; set; }

        public DateTimeOffset LastProgress { get; set; }

        public DateTimeOffset? RevokedAt { get; set; }
    }

    private sealed class Sweep
    {
        public static readonly Sweep Instance = new();
    }
}
