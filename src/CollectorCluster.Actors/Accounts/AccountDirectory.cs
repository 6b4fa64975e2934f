using Akka.Actor;
using CollectorCluster.Actors.Collection;

namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// Hosts account actors in one process without a cluster: the parent creates each account on its first
/// message and forwards <see cref="IAccountCommand"/>s to it. Used by one-shot runs, where forming a cluster
/// would cost seconds and buy nothing; the accounts, their journals and their behaviour are the same.
/// </summary>
public sealed class AccountDirectory : ReceiveActor
{
    /// <summary>Creates the directory.</summary>
    public AccountDirectory(CollectionEnvironment env)
    {
        var stopping = false;
        Receive<StopAccount>(stop =>
        {
            // Every account finishes the message in flight, commits and stops; nothing new starts.
            stopping = true;
            foreach (var child in Context.GetChildren())
            {
                child.Tell(stop);
            }
        });
        IActorRef Account(string id)
        {
            var name = Uri.EscapeDataString(id);
            var child = Context.Child(name);
            return !child.IsNobody() || stopping ? child : Context.ActorOf(AccountActor.Props(id, env), name);
        }

        Receive<LocateAccount>(locate => Sender.Tell(Account(locate.AccountId)));
        Receive<IAccountCommand>(command =>
        {
            var child = Account(command.AccountId);
            if (child.IsNobody())
            {
                Sender.Tell(new CollectionResult(command.AccountId, "", false, 0, 0, 0, 0, TimeSpan.Zero, "node stopping: not collected"));
                return;
            }

            child.Forward(command);
        });
    }

    /// <summary>Props for the directory.</summary>
    public static Props Props(CollectionEnvironment env) => Akka.Actor.Props.Create(() => new AccountDirectory(env));
}
