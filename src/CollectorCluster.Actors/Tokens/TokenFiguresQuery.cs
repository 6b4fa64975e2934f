using Akka.Actor;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// One <see cref="GetTokenFigures"/> answered: asks the node pool and every per-server actor, merges their figures
/// (node-wide percentiles from the servers' recent waits) and replies once, then stops.
/// </summary>
public sealed class TokenFiguresQuery : ReceiveActor
{
    private readonly List<ServerTokenFigures> _servers = [];
    private TokenFigures? _node;
    private int _pending;

    /// <summary>Creates the query and sends its asks.</summary>
    public TokenFiguresQuery(IActorRef pool, IActorRef router, int routees, IActorRef replyTo)
    {
        _pending = routees;
        pool.Tell(GetTokenFigures.Instance);
        router.Tell(new Akka.Routing.Broadcast(GetServerFigures.Instance));
        Context.SetReceiveTimeout(TimeSpan.FromSeconds(5));

        Receive<TokenFigures>(f =>
        {
            _node = f;
            ReplyIfDone(replyTo);
        });
        Receive<ServerFigures>(f =>
        {
            _servers.AddRange(f.Servers);
            _pending--;
            ReplyIfDone(replyTo);
        });
        Receive<ReceiveTimeout>(_ =>
        {
            replyTo.Tell(new Status.Failure(new TimeoutException("the connection tokens did not answer within 5 s")));
            Context.Stop(Self);
        });
    }

    /// <summary>Props for one query.</summary>
    public static Props Props(IActorRef pool, IActorRef router, int routees, IActorRef replyTo) =>
        Akka.Actor.Props.Create(() => new TokenFiguresQuery(pool, router, routees, replyTo));

    private void ReplyIfDone(IActorRef replyTo)
    {
        if (_node is null || _pending > 0)
        {
            return;
        }

        var waits = _servers.SelectMany(s => s.RecentWaits).ToList();
        var servers = _servers.OrderBy(s => s.Server, StringComparer.Ordinal).ToList();
        replyTo.Tell(new TokenFigures(
            servers.Sum(s => s.Queued),
            _node.Held,
            _node.Connecting,
            servers.Where(s => s.Held > 0).ToDictionary(s => s.Server, s => s.Held, StringComparer.OrdinalIgnoreCase),
            servers.Sum(s => s.GrantedTotal),
            servers.Sum(s => s.ReclaimedTotal) + _node.ReclaimedTotal,
            WaitStatistics.Percentile(waits, 0.50),
            WaitStatistics.Percentile(waits, 0.99),
            waits.Count == 0 ? TimeSpan.Zero : waits.Max())
        {
            Servers = servers,
        });
        Context.Stop(Self);
    }
}
