using Akka.Actor;

namespace CollectorCluster.Actors.Recipients;

/// <summary>
/// Hosts recipient actors in one process without a cluster (one-shot runs): creates each on its first message and
/// forwards <see cref="IRecipientCommand"/>s to it. The journals are the same as on a cluster.
/// </summary>
public sealed class RecipientDirectory : ReceiveActor
{
    /// <summary>Creates the directory.</summary>
    public RecipientDirectory(TimeProvider clock)
    {
        Receive<IRecipientCommand>(command =>
        {
            var name = Uri.EscapeDataString(command.RecipientId);
            var child = Context.Child(name);
            if (child.IsNobody())
            {
                child = Context.ActorOf(RecipientActor.Props(command.RecipientId, clock), name);
            }

            child.Forward(command);
        });
    }

    /// <summary>Props for the directory.</summary>
    public static Props Props(TimeProvider clock) => Akka.Actor.Props.Create(() => new RecipientDirectory(clock));
}
