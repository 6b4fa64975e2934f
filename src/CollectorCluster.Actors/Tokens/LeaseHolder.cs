using Akka.Actor;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// Stands for one waiting or connected session towards the connection tokens: it sends the request (through the
/// router) and receives the grant from its server's tokens actor, and its life is the lease's life. The session's
/// <see cref="LeaseConnected"/> and <see cref="ReleaseLease"/> come here and are passed to that actor; stopping
/// the holder (release, cancelled wait, or a session that vanished) is what DeathWatch turns into the slot coming back.
/// </summary>
public sealed class LeaseHolder : ReceiveActor
{
    private readonly IActorRef _tokens;
    private readonly RequestLease _request;
    private readonly TaskCompletionSource<long> _granted;
    private IActorRef? _grantor;

    /// <summary>Creates a holder that completes <paramref name="granted"/> with the lease id.</summary>
    public LeaseHolder(IActorRef tokens, RequestLease request, TaskCompletionSource<long> granted)
    {
        _tokens = tokens;
        _request = request;
        _granted = granted;
        Receive<LeaseGranted>(m =>
        {
            _grantor = Sender;
            Context.Watch(_grantor);
            if (!granted.TrySetResult(m.LeaseId))
            {
                Sender.Tell(new ReleaseLease(m.LeaseId)); // the wait was cancelled just before the grant: hand it back at once
                Context.Stop(Self);
            }
        });
        Receive<LeaseConnected>(m => _grantor?.Tell(m, Self));
        Receive<ReleaseLease>(m =>
        {
            _grantor?.Tell(m, Self);
            Context.Stop(Self);
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

    /// <inheritdoc />
    protected override void PostStop()
    {
        // Stopped before the grant (killed, or the system stopping): the session must not wait for ever.
        _granted.TrySetException(new InvalidOperationException("the connection lease request was stopped before it was granted"));
    }
}
