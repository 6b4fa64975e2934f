using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Registry;

/// <summary>The registry's runtime accounts, in id order.</summary>
public sealed record RuntimeAccounts(IReadOnlyList<RuntimeAccountAdded> Accounts);
