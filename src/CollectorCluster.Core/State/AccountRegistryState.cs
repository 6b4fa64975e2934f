using System.Collections.Immutable;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;

namespace CollectorCluster.Core.State;

/// <summary>
/// The cluster's account directory, rebuilt from the registry's events. Pure. Which accounts exist and where each is
/// defined (the accounts file, or added at run time with its keys as given and its password sealed), and the recent
/// versions of the accounts file that nodes applied. The settings an account collects with are in its own journal.
/// </summary>
public sealed record AccountRegistryState
{
    /// <summary>How many applied accounts-file versions are remembered (to recognise a node's outdated copy).</summary>
    public const int FileVersionsKept = 32;

    /// <summary>No accounts.</summary>
    public static readonly AccountRegistryState Empty = new();

    /// <summary>The runtime accounts, by id (ordinal).</summary>
    public ImmutableSortedDictionary<string, RuntimeAccountAdded> Accounts { get; init; } =
        ImmutableSortedDictionary.Create<string, RuntimeAccountAdded>(StringComparer.Ordinal);

    /// <summary>The accounts of the accounts file, as last applied by any node.</summary>
    public ImmutableSortedSet<string> FileAccounts { get; init; } = ImmutableSortedSet.Create<string>(StringComparer.Ordinal);

    /// <summary>The accounts-file versions applied, newest first (at most <see cref="FileVersionsKept"/>).</summary>
    public ImmutableList<AccountsFileApplied> FileVersions { get; init; } = [];

    /// <summary>Where <paramref name="id"/> is defined, or null when it is not an account of the cluster.</summary>
    public AccountOrigin? OriginOf(string id) =>
        FileAccounts.Contains(id) ? AccountOrigin.File : Accounts.ContainsKey(id) ? AccountOrigin.Runtime : null;

    /// <summary>Applies one event: an add replaces a runtime account of the same id; removing an unknown id changes nothing.</summary>
    public AccountRegistryState Apply(IRegistryEvent e) => e switch
    {
        RuntimeAccountAdded a => this with { Accounts = Accounts.SetItem(a.Id, a) },
        RuntimeAccountRemoved r => this with { Accounts = Accounts.Remove(r.Id) },
        FileAccountsListed l => this with { FileAccounts = FileAccounts.Union(l.Ids) },
        FileAccountsUnlisted u => this with { FileAccounts = FileAccounts.Except(u.Ids) },
        AccountsFileApplied f => this with { FileVersions = Newest(FileVersions.RemoveAll(v => v.Digest == f.Digest).Insert(0, f)) },
        _ => throw new ArgumentException($"Unknown registry event type {e.GetType().Name}", nameof(e)),
    };

    private static ImmutableList<AccountsFileApplied> Newest(ImmutableList<AccountsFileApplied> versions) =>
        versions.Count > FileVersionsKept ? versions.RemoveRange(FileVersionsKept, versions.Count - FileVersionsKept) : versions;
}
