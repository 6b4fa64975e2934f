using Akka.Actor;
using Akka.Routing;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// The node's connection tokens, as one address: a <see cref="NodeTokenPool"/> (the node-wide caps) and, under a
/// consistent-hashing router keyed by remote server, the <see cref="ServerTokens"/> actors that queue sessions per
/// server and cap them per server. Lease requests are forwarded to the router (the requester stays the sender, so
/// the grant and DeathWatch go straight between the session and its server's actor); figures are gathered from all.
/// If either part fails the whole stops (and waiting sessions fail) rather than restart with caps forgotten.
/// </summary>
public sealed class ConnectionTokens : ReceiveActor
{
    /// <summary>Per-server actors behind the router (servers are spread over them by hash).</summary>
    public const int DefaultRoutees = 4;

    private readonly IActorRef _router;
    private readonly IActorRef _pool;
    private readonly int _routees;

    /// <summary>Creates the pool and the router.</summary>
    public ConnectionTokens(TokenPoolSettings settings, TimeProvider clock, TimeSpan sweepEvery, int routees, TokenMetrics? metrics)
    {
        _routees = routees;
        _pool = Context.ActorOf(NodeTokenPool.Props(settings, clock), "node-pool");
        _router = Context.ActorOf(
            ServerTokens.Props(settings, _pool, clock, sweepEvery, metrics).WithRouter(new ConsistentHashingPool(routees)),
            "servers");
        Context.Watch(_pool);
        Context.Watch(_router);

        Receive<RequestLease>(m => _router.Forward(m));
        Receive<GetTokenFigures>(_ => Context.ActorOf(TokenFiguresQuery.Props(_pool, _router, _routees, Sender)));
        Receive<Terminated>(_ => Context.Stop(Self));
    }

    /// <summary>Props for the node's one instance.</summary>
    public static Props Props(TokenPoolSettings settings, TimeProvider clock, TimeSpan? sweepEvery = null, int routees = DefaultRoutees, TokenMetrics? metrics = null) =>
        Akka.Actor.Props.Create(() => new ConnectionTokens(settings, clock, sweepEvery ?? TimeSpan.FromSeconds(10), routees, metrics));

    /// <inheritdoc />
    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);
}
