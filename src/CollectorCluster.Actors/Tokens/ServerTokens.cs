using Akka.Actor;
using Akka.Event;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// The per-server half of the connection tokens, one of several behind the consistent-hashing router (hashed on the
/// server's host name, so one server's sessions always meet here). For each server it governs it keeps a
/// <see cref="ServerQueue"/>: sessions wait here, in priority then arrival order, and the queue asks the
/// <see cref="NodeTokenPool"/> for a node-wide slot only for a waiting session that fits under max-per-server. A
/// granted slot becomes that session's lease at once, or goes straight back if the session left. Holders are
/// death-watched and leases past their timeout are reclaimed by a timer.
/// </summary>
public sealed class ServerTokens : ReceiveActor, IWithTimers
{
    private readonly TokenPoolSettings _settings;
    private readonly IActorRef _pool;
    private readonly TimeProvider _clock;
    private readonly TokenMetrics? _metrics;
    private readonly Dictionary<string, ServerQueue> _servers = new(StringComparer.Ordinal);
    private readonly Dictionary<long, string> _serverOfTicket = [];
    private readonly Dictionary<long, (string Server, IActorRef Holder)> _requests = [];
    private readonly Dictionary<IActorRef, HashSet<long>> _byHolder = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _nextId;

    /// <summary>Creates one routee.</summary>
    public ServerTokens(TokenPoolSettings settings, IActorRef pool, TimeProvider clock, TimeSpan sweepEvery, TokenMetrics? metrics)
    {
        _settings = settings;
        _pool = pool;
        _clock = clock;
        _metrics = metrics;
        Timers.StartPeriodicTimer("sweep", Sweep.Instance, sweepEvery);

        Receive<RequestLease>(m =>
        {
            var server = m.Server.ToLowerInvariant();
            if (!_servers.TryGetValue(server, out var queue))
            {
                _servers[server] = queue = new ServerQueue(server, _settings.MaxPerServer, _settings.LeaseTimeout, _settings.AgingStep);
            }

            var id = ++_nextId;
            queue.Request(id, m.AccountId, m.Priority, _clock.GetUtcNow());
            Track(Sender, id, server);
            Pump(queue);
        });
        Receive<SlotGranted>(m =>
        {
            if (!_serverOfTicket.Remove(m.Ticket, out var server) || !_servers.TryGetValue(server, out var queue))
            {
                return; // a ticket handed back before its grant arrived: the pool has freed it already
            }

            if (queue.Granted(m.Ticket, _clock.GetUtcNow()) is { } grant)
            {
                _metrics?.Granted(server, grant.Waited);
                if (_requests.TryGetValue(grant.LeaseId, out var request) && !request.Holder.IsNobody())
                {
                    request.Holder.Tell(new LeaseGranted(grant.LeaseId));
                }
            }

            Pump(queue);
        });
        Receive<LeaseConnected>(m =>
        {
            if (_requests.TryGetValue(m.LeaseId, out var request) && _servers[request.Server].Connected(m.LeaseId, _clock.GetUtcNow()) is { } ticket)
            {
                _pool.Tell(new SlotConnected(ticket));
            }
        });
        Receive<ReleaseLease>(m => Free(m.LeaseId, reclaimed: false));
        Receive<Terminated>(t =>
        {
            if (_byHolder.Remove(t.ActorRef, out var ids))
            {
                foreach (var id in ids.ToList())
                {
                    Free(id, reclaimed: true);
                }
            }
        });
        Receive<Sweep>(_ =>
        {
            foreach (var queue in _servers.Values.ToList())
            {
                foreach (var (leaseId, ticket) in queue.Expire(_clock.GetUtcNow()))
                {
                    _log.Warning("Connection lease {0} on {1} expired without release; reclaimed", leaseId, queue.Server);
                    _metrics?.Reclaimed(queue.Server);
                    _pool.Tell(new ReleaseSlot(ticket));
                    Untrack(leaseId);
                }

                Pump(queue);
            }
        });
        Receive<GetServerFigures>(_ => Sender.Tell(new ServerFigures(_servers.Values.Select(q => q.Figures()).ToList())));
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for one routee.</summary>
    public static Props Props(TokenPoolSettings settings, IActorRef pool, TimeProvider clock, TimeSpan sweepEvery, TokenMetrics? metrics) =>
        Akka.Actor.Props.Create(() => new ServerTokens(settings, pool, clock, sweepEvery, metrics));

    private void Free(long id, bool reclaimed)
    {
        if (!_requests.TryGetValue(id, out var request))
        {
            return;
        }

        var queue = _servers[request.Server];
        var wasHeld = queue.IsHeld(id);
        foreach (var ticket in reclaimed ? queue.Reclaim(id) : queue.Release(id))
        {
            _serverOfTicket.Remove(ticket);
            _pool.Tell(new ReleaseSlot(ticket));
        }

        if (reclaimed && wasHeld)
        {
            _metrics?.Reclaimed(queue.Server);
        }

        Untrack(id);
        Pump(queue);
    }

    /// <summary>Sends the queue's new asks and re-rankings to the pool and publishes its figures.</summary>
    private void Pump(ServerQueue queue)
    {
        var now = _clock.GetUtcNow();
        foreach (var (ticket, ask) in queue.Reranks(now))
        {
            _pool.Tell(new RerankSlot(ticket, ask.Priority, ask.Since));
        }

        foreach (var ask in queue.Asks(now))
        {
            var ticket = ++_nextId;
            queue.TicketAsked(ticket, ask);
            _serverOfTicket[ticket] = queue.Server;
            _pool.Tell(new RequestSlot(ticket, queue.Server, ask.Priority, ask.Since));
        }

        _metrics?.Publish(queue.Server, queue.Queued, queue.Held);
    }

    private void Track(IActorRef holder, long id, string server)
    {
        _requests[id] = (server, holder);
        if (holder.IsNobody())
        {
            return; // nobody to tell or watch: the lease timeout is its only way back
        }

        if (!_byHolder.TryGetValue(holder, out var ids))
        {
            _byHolder[holder] = ids = [];
            Context.Watch(holder);
        }

        ids.Add(id);
    }

    private void Untrack(long id)
    {
        if (_requests.Remove(id, out var request) && _byHolder.TryGetValue(request.Holder, out var ids))
        {
            ids.Remove(id);
            if (ids.Count == 0)
            {
                _byHolder.Remove(request.Holder);
                Context.Unwatch(request.Holder);
            }
        }
    }

    private sealed class Sweep
    {
        public static readonly Sweep Instance = new();
    }
}
