using Akka.Actor;
using Akka.Persistence;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;

namespace CollectorCluster.Actors.Registry;

/// <summary>
/// The cluster's directory of accounts (persistence id <c>account-registry</c>): which accounts exist, where each is
/// defined, the keys and sealed password of those added at run time, and the accounts-file versions applied. One
/// sharded entity, so one writer in the whole cluster whichever node hosts it; nodes never wait for it to start.
/// The settings each account collects with live in its own journal.
/// </summary>
public sealed class AccountRegistry : ReceivePersistentActor
{
    /// <summary>Events between snapshots.</summary>
    public const int SnapshotEvery = 500;

    private AccountRegistryState _state = AccountRegistryState.Empty;
    private long _lastSnapshot;

    /// <summary>Creates the registry.</summary>
    public AccountRegistry()
    {
        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is AccountRegistrySnapshot snapshot)
            {
                _state = snapshot.ToState();
                _lastSnapshot = offer.Metadata.SequenceNr;
            }
        });
        Recover<IRegistryEvent>(e => _state = _state.Apply(e));
        // Upcast by the journal's read adapter before it gets here; seen here, the adapter is missing: stop, rather than lose the account.
        Recover<RuntimeAccountAddedV1>(e => throw new InvalidOperationException(
            $"Runtime account '{e.Id}' is journaled as RuntimeAccountAdded.v1 and the journal has no read adapter to upcast it."));

        Command<AddRuntimeAccount>(m =>
        {
            if (_state.OriginOf(m.Account.Id) is { } origin)
            {
                Sender.Tell(new RegistryRefused(origin == AccountOrigin.File
                    ? $"account '{m.Account.Id}' is defined in the accounts file; change it there (and reload)"
                    : $"account '{m.Account.Id}' exists already (collector remove {m.Account.Id} first)"));
                return;
            }

            Record([m.Account]);
        });
        Command<ReplaceRuntimeAccount>(m =>
        {
            if (!_state.Accounts.ContainsKey(m.Account.Id))
            {
                Sender.Tell(new RegistryRefused(NotRuntime(m.Account.Id)));
                return;
            }

            Record([m.Account]);
        });
        Command<RemoveRuntimeAccount>(m =>
        {
            if (!_state.Accounts.ContainsKey(m.Id))
            {
                Sender.Tell(new RegistryRefused(NotRuntime(m.Id)));
                return;
            }

            Record([new RuntimeAccountRemoved(m.Id, m.At)]);
        });
        Command<ListFileAccounts>(m =>
        {
            var conflicts = m.Ids.Where(_state.Accounts.ContainsKey).ToList();
            var added = m.Ids.Where(id => !_state.FileAccounts.Contains(id) && !_state.Accounts.ContainsKey(id)).Distinct(StringComparer.Ordinal).ToList();
            Record(added.Count == 0 ? [] : [new FileAccountsListed(added, m.At)], conflicts);
        });
        Command<UnlistFileAccounts>(m =>
        {
            var removed = m.Ids.Where(_state.FileAccounts.Contains).Distinct(StringComparer.Ordinal).ToList();
            Record(removed.Count == 0 ? [] : [new FileAccountsUnlisted(removed, m.At)]);
        });
        Command<RecordAccountsFile>(m => Record(
            _state.FileVersions.Count > 0 && _state.FileVersions[0].Digest == m.Digest ? [] : [new AccountsFileApplied(m.Digest, m.KeyId, m.Node, m.At)]));
        Command<GetRegistryEntry>(m => Sender.Tell(new RegistryEntry(m.Id, _state.OriginOf(m.Id), _state.Accounts.GetValueOrDefault(m.Id))));
        Command<GetRuntimeAccounts>(m =>
        {
            var page = _state.Accounts.Values.Where(a => m.After is null || string.CompareOrdinal(a.Id, m.After) > 0).Take(Math.Max(1, m.Max) + 1).ToList();
            var more = page.Count > Math.Max(1, m.Max);
            Sender.Tell(new RuntimeAccountsPage(more ? page[..^1] : page, more ? page[^2].Id : null));
        });
        Command<GetAccountDirectory>(m =>
        {
            var max = Math.Max(1, m.Max);
            var ids = _state.FileAccounts.Select(id => new DirectoryEntry(id, AccountOrigin.File))
                .Concat(_state.Accounts.Keys.Select(id => new DirectoryEntry(id, AccountOrigin.Runtime)))
                .Where(e => m.After is null || string.CompareOrdinal(e.Id, m.After) > 0)
                .OrderBy(e => e.Id, StringComparer.Ordinal)
                .Take(max + 1)
                .ToList();
            var more = ids.Count > max;
            Sender.Tell(new AccountDirectoryPage(LastSequenceNr, more ? ids[..^1] : ids, more ? ids[^2].Id : null));
        });
        Command<GetRegistryVersion>(_ => Sender.Tell(new RegistryVersion(LastSequenceNr, [.. _state.FileVersions])));
        Command<StopRegistry>(_ => Context.Stop(Self));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(_ => { });
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    /// <inheritdoc />
    public override string PersistenceId => "account-registry";

    /// <summary>Props.</summary>
    public static Props Props() => Akka.Actor.Props.Create(() => new AccountRegistry());

    private static string NotRuntime(string id) => $"account '{id}' was not added at run time (accounts of the accounts file are changed in the file)";

    /// <summary>Journals <paramref name="events"/> (none: nothing to change) and answers <see cref="RegistryUpdated"/> once written.</summary>
    private void Record(IReadOnlyList<IRegistryEvent> events, IReadOnlyList<string>? conflicts = null)
    {
        var sender = Sender;
        if (events.Count == 0)
        {
            // Nothing to journal: answer at once. A DeferAsync alone, while an earlier one is in flight, sends the SQL
            // journal a write with no events, which it fails silently and counts against its circuit breaker.
            sender.Tell(new RegistryUpdated(LastSequenceNr, conflicts ?? []));
            return;
        }

        PersistAll(events, e => _state = _state.Apply(e));
        DeferAsync(events, _ =>
        {
            sender.Tell(new RegistryUpdated(LastSequenceNr, conflicts ?? []));
            if (LastSequenceNr - _lastSnapshot >= SnapshotEvery)
            {
                _lastSnapshot = LastSequenceNr;
                SaveSnapshot(AccountRegistrySnapshot.From(_state));
            }
        });
    }
}
