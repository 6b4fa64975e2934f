using Akka.Actor;
using Akka.Persistence;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;

namespace CollectorCluster.Actors.Registry;

/// <summary>
/// The journal of accounts added at run time (persistence id <c>account-registry</c>): which exist, their
/// settings and sealed passwords. One per node (persistence id shared: on a shared journal only one node may add
/// accounts at a time); a cluster singleton is the next step.
/// </summary>
public sealed class AccountRegistry : ReceivePersistentActor
{
    private AccountRegistryState _state = AccountRegistryState.Empty;

    /// <summary>Creates the registry.</summary>
    public AccountRegistry()
    {
        Recover<IRegistryEvent>(e => _state = _state.Apply(e));
        // Upcast by the journal's read adapter before it gets here; seen here, the adapter is missing: stop, rather than lose the account.
        Recover<RuntimeAccountAddedV1>(e => throw new InvalidOperationException(
            $"Runtime account '{e.Id}' is journaled as RuntimeAccountAdded.v1 and the journal has no read adapter to upcast it."));
        Command<RegisterRuntimeAccount>(r => Persist(r.Account, e =>
        {
            _state = _state.Apply(e);
            Sender.Tell(new RuntimeAccounts([.. _state.Accounts.Values]));
        }));
        Command<UnregisterRuntimeAccount>(u =>
        {
            if (!_state.Accounts.ContainsKey(u.Id))
            {
                Sender.Tell(new RuntimeAccounts([.. _state.Accounts.Values]));
                return;
            }

            Persist(new RuntimeAccountRemoved(u.Id, u.At), e =>
            {
                _state = _state.Apply(e);
                Sender.Tell(new RuntimeAccounts([.. _state.Accounts.Values]));
            });
        });
        Command<GetRuntimeAccounts>(_ => Sender.Tell(new RuntimeAccounts([.. _state.Accounts.Values])));
    }

    /// <inheritdoc />
    public override string PersistenceId => "account-registry";

    /// <summary>Props.</summary>
    public static Props Props() => Akka.Actor.Props.Create(() => new AccountRegistry());
}
