using Akka.Actor;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// The server governors of a node without a cluster (one-shot runs, tests): one child <see cref="ServerGovernor"/> per
/// server, created on its first message and kept (nobody else can hold leases, so there is no roll to call).
/// </summary>
public sealed class LocalServerGovernors : ReceiveActor
{
    /// <summary>Creates the parent.</summary>
    public LocalServerGovernors(int maxPerServer, TimeSpan agingStep, TimeProvider clock)
    {
        Receive<IServerBudgetCommand>(m =>
        {
            var name = Uri.EscapeDataString(m.Server);
            var child = Context.Child(name);
            if (child.IsNobody())
            {
                child = Context.ActorOf(ServerGovernor.Props(m.Server, maxPerServer, agingStep, clock, sharded: false), name);
            }

            child.Forward(m);
        });
    }

    /// <summary>Props for the parent.</summary>
    public static Props Props(int maxPerServer, TimeSpan agingStep, TimeProvider clock) =>
        Akka.Actor.Props.Create(() => new LocalServerGovernors(maxPerServer, agingStep, clock));
}
