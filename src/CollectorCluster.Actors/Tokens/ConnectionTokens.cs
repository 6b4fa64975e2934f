using Akka.Actor;
using Akka.Event;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// Owns the node's <see cref="TokenPool"/>: one place decides who may connect, so caps hold across every account
/// on the node. Requesters are death-watched (a crashed holder cannot leak its slot) and a timer reclaims leases
/// past their timeout (a holder that hangs cannot either).
/// </summary>
public sealed class ConnectionTokens : ReceiveActor, IWithTimers
{
    private readonly TokenPool _pool;
    private readonly TimeProvider _clock;
    private readonly Dictionary<long, IActorRef> _owners = [];
    private readonly Dictionary<IActorRef, HashSet<long>> _byOwner = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();

    /// <summary>Creates the actor; <paramref name="sweepEvery"/> is how often expired leases are looked for.</summary>
    public ConnectionTokens(TokenPoolSettings settings, TimeProvider clock, TimeSpan sweepEvery)
    {
        _pool = new TokenPool(settings);
        _clock = clock;
        Timers.StartPeriodicTimer("sweep", Sweep.Instance, sweepEvery);

        Receive<RequestLease>(m =>
        {
            var id = _pool.Request(m.AccountId, m.Server, m.Priority, _clock.GetUtcNow());
            Track(Sender, id);
            Dispatch();
        });
        Receive<LeaseConnected>(m =>
        {
            _pool.Connected(m.LeaseId, _clock.GetUtcNow());
            Dispatch();
        });
        Receive<ReleaseLease>(m =>
        {
            _pool.Release(m.LeaseId);
            Untrack(m.LeaseId);
            Dispatch();
        });
        Receive<GetTokenFigures>(_ => Sender.Tell(_pool.Figures()));
        Receive<Terminated>(t =>
        {
            if (_byOwner.Remove(t.ActorRef, out var ids))
            {
                foreach (var id in ids)
                {
                    _pool.Reclaim(id);
                    _owners.Remove(id);
                }
            }

            Dispatch();
        });
        Receive<Sweep>(_ =>
        {
            foreach (var id in _pool.Expire(_clock.GetUtcNow()))
            {
                _log.Warning("Connection lease {0} expired without release; reclaimed", id);
                Untrack(id);
            }

            Dispatch();
        });
    }

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the node's one instance.</summary>
    public static Props Props(TokenPoolSettings settings, TimeProvider clock, TimeSpan? sweepEvery = null) =>
        Akka.Actor.Props.Create(() => new ConnectionTokens(settings, clock, sweepEvery ?? TimeSpan.FromSeconds(10)));

    private void Dispatch()
    {
        foreach (var grant in _pool.Dispatch(_clock.GetUtcNow()))
        {
            if (_owners.TryGetValue(grant.LeaseId, out var owner))
            {
                owner.Tell(new LeaseGranted(grant.LeaseId));
            }
        }
    }

    private void Track(IActorRef owner, long id)
    {
        if (owner.IsNobody())
        {
            return; // nobody to tell or watch: the lease timeout is its only way back
        }

        _owners[id] = owner;
        if (!_byOwner.TryGetValue(owner, out var ids))
        {
            _byOwner[owner] = ids = [];
            Context.Watch(owner);
        }

        ids.Add(id);
    }

    private void Untrack(long id)
    {
        if (_owners.Remove(id, out var owner) && _byOwner.TryGetValue(owner, out var ids))
        {
            ids.Remove(id);
            if (ids.Count == 0)
            {
                _byOwner.Remove(owner);
                Context.Unwatch(owner);
            }
        }
    }

    private sealed class Sweep
    {
        public static readonly Sweep Instance = new();
    }
}
