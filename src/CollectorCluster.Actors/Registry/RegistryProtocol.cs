using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Registry;

// The account registry's protocol: the cluster's one directory of accounts (which exist, where each is defined, the
// keys of those added at run time), one writer in the cluster (AccountRegistry, a sharded entity). Answers are paged
// so none outgrows the remote transport's frame, whatever the number of accounts.

/// <summary>A message for the account registry; sharding routes every one to the one registry entity.</summary>
public interface IRegistryCommand
{
}

/// <summary>Adds an account at run time; refused when the id exists (in the file or at run time). Replies <see cref="RegistryUpdated"/> or <see cref="RegistryRefused"/>.</summary>
public sealed record AddRuntimeAccount(RuntimeAccountAdded Account) : IRegistryCommand;

/// <summary>Replaces a runtime account's keys and sealed password (an edit); refused when it is not a runtime account. Replies <see cref="RegistryUpdated"/> or <see cref="RegistryRefused"/>.</summary>
public sealed record ReplaceRuntimeAccount(RuntimeAccountAdded Account) : IRegistryCommand;

/// <summary>Forgets a runtime account; refused when it is not one. Replies <see cref="RegistryUpdated"/> or <see cref="RegistryRefused"/>.</summary>
public sealed record RemoveRuntimeAccount(string Id, DateTimeOffset At) : IRegistryCommand;

/// <summary>Asks for one account's entry. Replies <see cref="RegistryEntry"/>.</summary>
public sealed record GetRegistryEntry(string Id) : IRegistryCommand;

/// <summary>One account's entry: where it is defined (null: not an account of the cluster), and its keys when added at run time.</summary>
public sealed record RegistryEntry(string Id, AccountOrigin? Origin, RuntimeAccountAdded? Runtime);

/// <summary>Asks for the runtime accounts in id order after <paramref name="After"/>, at most <paramref name="Max"/>. Replies <see cref="RuntimeAccountsPage"/>.</summary>
public sealed record GetRuntimeAccounts(string? After, int Max) : IRegistryCommand;

/// <summary>A page of runtime accounts; <paramref name="Next"/> is the <c>After</c> of the next page, null at the end.</summary>
public sealed record RuntimeAccountsPage(IReadOnlyList<RuntimeAccountAdded> Accounts, string? Next);

/// <summary>
/// The accounts of an accounts file that a node applies (a page of them). Ids already runtime accounts are not listed
/// and come back as conflicts. Replies <see cref="RegistryUpdated"/>.
/// </summary>
public sealed record ListFileAccounts(IReadOnlyList<string> Ids, DateTimeOffset At) : IRegistryCommand;

/// <summary>Accounts that left the accounts file (a page of them). Replies <see cref="RegistryUpdated"/>.</summary>
public sealed record UnlistFileAccounts(IReadOnlyList<string> Ids, DateTimeOffset At) : IRegistryCommand;

/// <summary>Records that <paramref name="Node"/> applied the accounts file with this digest, sealed with the key <paramref name="KeyId"/>. Replies <see cref="RegistryUpdated"/>.</summary>
public sealed record RecordAccountsFile(string Digest, string KeyId, string Node, DateTimeOffset At) : IRegistryCommand;

/// <summary>A change was journaled (or there was nothing to change).</summary>
/// <param name="Version">The registry's version after it (its journal's sequence number).</param>
/// <param name="Conflicts">Ids of a <see cref="ListFileAccounts"/> not listed because they are runtime accounts.</param>
public sealed record RegistryUpdated(long Version, IReadOnlyList<string> Conflicts);

/// <summary>A change was refused; nothing journaled.</summary>
public sealed record RegistryRefused(string Reason);

/// <summary>Asks for the registry's version and the accounts-file versions applied. Replies <see cref="RegistryVersion"/>.</summary>
public sealed record GetRegistryVersion : IRegistryCommand
{
    /// <summary>The one instance.</summary>
    public static GetRegistryVersion Instance { get; } = new();
}

/// <summary>The registry's version (changes with every change) and the accounts-file versions applied, newest first.</summary>
public sealed record RegistryVersion(long Version, IReadOnlyList<AccountsFileApplied> FileVersions);

/// <summary>Asks for the accounts in id order after <paramref name="After"/>, at most <paramref name="Max"/>. Replies <see cref="AccountDirectoryPage"/>.</summary>
public sealed record GetAccountDirectory(string? After, int Max) : IRegistryCommand;

/// <summary>A page of the directory at <paramref name="Version"/>; <paramref name="Next"/> is the <c>After</c> of the next page, null at the end.</summary>
public sealed record AccountDirectoryPage(long Version, IReadOnlyList<DirectoryEntry> Entries, string? Next);

/// <summary>One account of the cluster and where it is defined.</summary>
public sealed record DirectoryEntry(string Id, AccountOrigin Origin);

/// <summary>Sharding's hand-off message for the registry: stops once what it is journaling is written.</summary>
public sealed record StopRegistry
{
    /// <summary>The one instance.</summary>
    public static StopRegistry Instance { get; } = new();
}
