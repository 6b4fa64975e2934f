using Akka.Actor;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// The node-wide half of the connection tokens: owns the <see cref="TokenPool"/> that caps live sessions
/// (max-pop3-clients) and half-open connects (max-connecting) across every server. Its clients are the per-server
/// <see cref="ServerTokens"/> actors, which only ask for a slot when a session is waiting and fits under its
/// server's cap, so this pool never waits on a server. A client that dies has its slots reclaimed (DeathWatch).
/// Lease timeouts are enforced per server, where the holders are; this pool never expires a slot by itself, or a
/// server could believe it still holds a slot the pool gave away.
/// </summary>
public sealed class NodeTokenPool : ReceiveActor
{
    private readonly TokenPool _pool;
    private readonly TimeProvider _clock;
    private readonly Dictionary<(IActorRef Owner, long Ticket), long> _ids = [];
    private readonly Dictionary<long, (IActorRef Owner, long Ticket)> _tickets = [];
    private readonly HashSet<IActorRef> _watched = [];

    /// <summary>Creates the pool.</summary>
    public NodeTokenPool(TokenPoolSettings settings, TimeProvider clock)
    {
        _pool = new TokenPool(settings);
        _clock = clock;

        Receive<RequestSlot>(m =>
        {
            var id = _pool.Request("server:" + m.Server, m.Server, m.Priority, m.Since);
            _ids[(Sender, m.Ticket)] = id;
            _tickets[id] = (Sender, m.Ticket);
            if (_watched.Add(Sender))
            {
                Context.Watch(Sender);
            }

            Dispatch();
        });
        Receive<RerankSlot>(m =>
        {
            if (_ids.TryGetValue((Sender, m.Ticket), out var id))
            {
                _pool.Reprioritize(id, m.Priority, m.Since);
                Dispatch();
            }
        });
        Receive<SlotConnected>(m =>
        {
            if (_ids.TryGetValue((Sender, m.Ticket), out var id))
            {
                _pool.Connected(id, _clock.GetUtcNow());
                Dispatch();
            }
        });
        Receive<ReleaseSlot>(m =>
        {
            if (_ids.Remove((Sender, m.Ticket), out var id))
            {
                _tickets.Remove(id);
                _pool.Release(id);
                Dispatch();
            }
        });
        Receive<GetTokenFigures>(_ => Sender.Tell(_pool.Figures()));
        Receive<Terminated>(t =>
        {
            _watched.Remove(t.ActorRef);
            foreach (var key in _ids.Keys.Where(k => k.Owner.Equals(t.ActorRef)).ToList())
            {
                _ids.Remove(key, out var id);
                _tickets.Remove(id);
                _pool.Reclaim(id);
            }

            Dispatch();
        });
    }

    /// <summary>Props for the node's one pool.</summary>
    public static Props Props(TokenPoolSettings settings, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new NodeTokenPool(settings, clock));

    private void Dispatch()
    {
        foreach (var grant in _pool.Dispatch(_clock.GetUtcNow()))
        {
            var (owner, ticket) = _tickets[grant.LeaseId];
            owner.Tell(new SlotGranted(ticket));
        }
    }
}
