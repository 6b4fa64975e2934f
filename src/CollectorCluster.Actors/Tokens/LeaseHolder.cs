using Akka.Actor;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// Stands for one waiting or connected session towards <see cref="ConnectionTokens"/>: it sends the request and
/// receives the grant, and its life is the lease's life. Stopping it (release, cancelled wait, or a session that
/// vanished) is what DeathWatch turns into the slot coming back.
/// </summary>
public sealed class LeaseHolder : ReceiveActor
{
    private readonly IActorRef _tokens;
    private readonly RequestLease _request;

    /// <summary>Creates a holder that completes <paramref name="granted"/> with the lease id.</summary>
    public LeaseHolder(IActorRef tokens, RequestLease request, TaskCompletionSource<long> granted)
    {
        _tokens = tokens;
        _request = request;
        Receive<LeaseGranted>(m =>
        {
            if (!granted.TrySetResult(m.LeaseId))
            {
                Context.Stop(Self); // the wait was cancelled just before the grant: hand it back at once
            }
        });
        Receive<Terminated>(_ =>
        {
            granted.TrySetException(new InvalidOperationException("the node's connection tokens stopped"));
            Context.Stop(Self);
        });
    }

    /// <summary>Props for one request.</summary>
    public static Props Props(IActorRef tokens, RequestLease request, TaskCompletionSource<long> granted) =>
        Akka.Actor.Props.Create(() => new LeaseHolder(tokens, request, granted));

    /// <inheritdoc />
    protected override void PreStart()
    {
        Context.Watch(_tokens);
        _tokens.Tell(_request);
    }
}
