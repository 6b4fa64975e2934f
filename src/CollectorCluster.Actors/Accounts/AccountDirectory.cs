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
        Receive<IAccountCommand>(command =>
        {
            var name = Uri.EscapeDataString(command.AccountId);
            var child = Context.Child(name);
            if (child.IsNobody())
            {
                if (stopping)
                {
                    Sender.Tell(new CollectionResult(command.AccountId, "", false, 0, 0, 0, 0, TimeSpan.Zero, "node stopping: not collected"));
                    return;
                }

                child = Context.ActorOf(AccountActor.Props(command.AccountId, env), name);
            }

            child.Forward(command);
        });
    }

    /// <summary>Props for the directory.</summary>
    public static Props Props(CollectionEnvironment env) => Akka.Actor.Props.Create(() => new AccountDirectory(env));
}
