using Akka.Actor;
using CollectorCluster.Actors.Tokens;

namespace CollectorCluster.Actors.Tests.Tokens;

/// <summary>
/// A stand-in session: requests a lease on start and completes a task when granted (no TestKit needed); like the
/// real holder it passes <see cref="LeaseConnected"/> and <see cref="ReleaseLease"/> on to the actor that granted.
/// </summary>
public sealed class GrantProbe : ReceiveActor
{
    private IActorRef? _grantor;

    /// <summary>Creates the probe; <paramref name="revoked"/> completes when the tokens revoke its lease (no progress).</summary>
    public GrantProbe(IActorRef tokens, RequestLease request, TaskCompletionSource<long> granted, TaskCompletionSource? revoked = null)
    {
        Receive<LeaseRevoked>(_ => revoked?.TrySetResult());
        Receive<LeaseGranted>(m =>
        {
            _grantor = Sender;
            granted.TrySetResult(m.LeaseId);
        });
        Receive<LeaseConnected>(m => _grantor?.Tell(m));
        Receive<ReleaseLease>(m => _grantor?.Tell(m));
        tokens.Tell(request, Self);
    }

    /// <summary>Props for one probe.</summary>
    public static Props Props(IActorRef tokens, RequestLease request, TaskCompletionSource<long> granted, TaskCompletionSource? revoked = null) =>
        Akka.Actor.Props.Create(() => new GrantProbe(tokens, request, granted, revoked));
}
