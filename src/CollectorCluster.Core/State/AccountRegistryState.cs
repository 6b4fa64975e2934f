using System.Collections.Immutable;
using CollectorCluster.Core.Events;

namespace CollectorCluster.Core.State;

/// <summary>The accounts added at run time, by id, rebuilt from the registry's events. Pure.</summary>
public sealed record AccountRegistryState
{
    /// <summary>No runtime accounts.</summary>
    public static readonly AccountRegistryState Empty = new();

    /// <summary>The runtime accounts, by id (ordinal).</summary>
    public ImmutableSortedDictionary<string, RuntimeAccountAdded> Accounts { get; init; } =
        ImmutableSortedDictionary.Create<string, RuntimeAccountAdded>(StringComparer.Ordinal);

    /// <summary>Applies one event: an add replaces an account of the same id, a remove of an unknown id changes nothing.</summary>
    public AccountRegistryState Apply(IRegistryEvent e) => e switch
    {
        RuntimeAccountAdded a => this with { Accounts = Accounts.SetItem(a.Id, a) },
        RuntimeAccountRemoved r => this with { Accounts = Accounts.Remove(r.Id) },
        _ => throw new ArgumentException($"Unknown registry event type {e.GetType().Name}", nameof(e)),
    };
}
