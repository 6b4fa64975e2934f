using Akka.Actor;
using CollectorCluster.Actors.Tokens;

namespace CollectorCluster.Actors.Tests.Tokens;

/// <summary>A stand-in session: requests a lease on start and completes a task when granted (no TestKit needed).</summary>
public sealed class GrantProbe : ReceiveActor
{
    /// <summary>Creates the probe.</summary>
    public GrantProbe(IActorRef tokens, RequestLease request, TaskCompletionSource<long> granted)
    {
        Receive<LeaseGranted>(m => granted.TrySetResult(m.LeaseId));
        tokens.Tell(request, Self);
    }

    /// <summary>Props for one probe.</summary>
    public static Props Props(IActorRef tokens, RequestLease request, TaskCompletionSource<long> granted) =>
        Akka.Actor.Props.Create(() => new GrantProbe(tokens, request, granted));
}
