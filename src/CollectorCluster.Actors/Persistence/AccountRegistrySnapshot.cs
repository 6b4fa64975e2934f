using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;

namespace CollectorCluster.Actors.Persistence;

/// <summary>The persisted form of <see cref="AccountRegistryState"/>: plain lists, our own versioned shape (<c>AccountRegistrySnapshot.v1</c>).</summary>
/// <param name="Runtime">The runtime accounts, in id order.</param>
/// <param name="FileAccounts">The accounts-file accounts, in id order.</param>
/// <param name="FileVersions">The applied accounts-file versions, newest first.</param>
public sealed record AccountRegistrySnapshot(IReadOnlyList<RuntimeAccountAdded> Runtime, IReadOnlyList<string> FileAccounts, IReadOnlyList<AccountsFileApplied> FileVersions)
{
    /// <summary>Captures a state.</summary>
    public static AccountRegistrySnapshot From(AccountRegistryState state) =>
        new([.. state.Accounts.Values], [.. state.FileAccounts], [.. state.FileVersions]);

    /// <summary>Rebuilds the state.</summary>
    public AccountRegistryState ToState() => AccountRegistryState.Empty with
    {
        Accounts = AccountRegistryState.Empty.Accounts.AddRange(Runtime.Select(a => KeyValuePair.Create(a.Id, a))),
        FileAccounts = AccountRegistryState.Empty.FileAccounts.Union(FileAccounts),
        FileVersions = [.. FileVersions],
    };
}
