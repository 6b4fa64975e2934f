using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Registry;

/// <summary>Journal this runtime account (adds or replaces); replies <see cref="RuntimeAccounts"/>.</summary>
public sealed record RegisterRuntimeAccount(RuntimeAccountAdded Account);
