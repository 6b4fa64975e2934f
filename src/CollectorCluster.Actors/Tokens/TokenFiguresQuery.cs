using Akka.Actor;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// One <see cref="GetTokenFigures"/> answered: this node's figures, with the cluster-wide figures of each server it
/// uses asked of their governors (held and queued: every node's; connecting: this node's, which only it knows); replies
/// once (a governor that does not answer within 5 s is left out), then stops.
/// </summary>
public sealed class TokenFiguresQuery : ReceiveActor
{
    private readonly List<ServerTokenFigures> _servers = [];
    private int _pending;

    /// <summary>Creates the query and sends its asks.</summary>
    public TokenFiguresQuery(TokenFigures node, IActorRef governors, IReadOnlyList<string> servers, IReadOnlyDictionary<string, int> connecting, IActorRef replyTo)
    {
        _pending = servers.Count;
        foreach (var server in servers)
        {
            governors.Tell(new GetServerFigures(server));
        }

        Context.SetReceiveTimeout(TimeSpan.FromSeconds(5));
        Receive<ServerFigures>(f =>
        {
            _servers.AddRange(f.Servers.Select(s => s with { Connecting = connecting.GetValueOrDefault(s.Server) }));
            _pending--;
            ReplyIfDone(node, replyTo, done: false);
        });
        Receive<ReceiveTimeout>(_ => ReplyIfDone(node, replyTo, done: true));
        ReplyIfDone(node, replyTo, done: false);
    }

    /// <summary>Props for one query.</summary>
    public static Props Props(TokenFigures node, IActorRef governors, IReadOnlyList<string> servers, IReadOnlyDictionary<string, int> connecting, IActorRef replyTo) =>
        Akka.Actor.Props.Create(() => new TokenFiguresQuery(node, governors, servers, connecting, replyTo));

    private void ReplyIfDone(TokenFigures node, IActorRef replyTo, bool done)
    {
        if (_pending > 0 && !done)
        {
            return;
        }

        replyTo.Tell(node with { Servers = [.. _servers.OrderBy(s => s.Server, StringComparer.Ordinal)] });
        Context.Stop(Self);
    }
}
