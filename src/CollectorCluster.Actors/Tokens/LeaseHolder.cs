using Akka.Actor;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// Stands for one waiting or connected session towards its node's connection tokens: it sends the request and
/// receives the grant, and its life is the lease's life. The session's <see cref="LeaseConnected"/>,
/// <see cref="LeaseProgress"/> and <see cref="ReleaseLease"/> come here and are passed on; a <see cref="LeaseRevoked"/>
/// (no progress for lease-timeout) cancels the session. Stopping the holder (release, cancelled wait, a session that
/// vanished) is what DeathWatch turns into the lease coming back.
/// </summary>
public sealed class LeaseHolder : ReceiveActor
{
    private readonly IActorRef _tokens;
    private readonly RequestLease _request;
    private readonly TaskCompletionSource<long> _granted;
    private readonly CancellationTokenSource _lost;

    /// <summary>Creates a holder that completes <paramref name="granted"/> with the lease id and cancels <paramref name="lost"/> when the lease is revoked.</summary>
    public LeaseHolder(IActorRef tokens, RequestLease request, TaskCompletionSource<long> granted, CancellationTokenSource lost)
    {
        _tokens = tokens;
        _request = request;
        _granted = granted;
        _lost = lost;
        Receive<LeaseGranted>(m =>
        {
            if (!granted.TrySetResult(m.LeaseId))
            {
                Sender.Tell(new ReleaseLease(m.LeaseId)); // the wait was cancelled just before the grant: hand it back at once
                Context.Stop(Self);
            }
        });
        Receive<LeaseConnected>(m => _tokens.Tell(m));
        Receive<LeaseProgress>(m => _tokens.Tell(m));
        Receive<LeaseRevoked>(_ => Cancel());
        Receive<ReleaseLease>(m =>
        {
            _tokens.Tell(m);
            Context.Stop(Self);
        });
        Receive<Terminated>(_ =>
        {
            granted.TrySetException(new InvalidOperationException("the node's connection tokens stopped"));
            Cancel();
            Context.Stop(Self);
        });
    }

    /// <summary>Props for one request.</summary>
    public static Props Props(IActorRef tokens, RequestLease request, TaskCompletionSource<long> granted, CancellationTokenSource lost) =>
        Akka.Actor.Props.Create(() => new LeaseHolder(tokens, request, granted, lost));

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

    private void Cancel()
    {
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The session already gave the lease back.
        }
    }
}
