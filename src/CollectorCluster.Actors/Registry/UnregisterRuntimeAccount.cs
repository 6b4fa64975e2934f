namespace CollectorCluster.Actors.Registry;

/// <summary>Forget this runtime account; replies <see cref="RuntimeAccounts"/>.</summary>
public sealed record UnregisterRuntimeAccount(string Id, DateTimeOffset At);
