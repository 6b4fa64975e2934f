namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// Collect as soon as possible (joins a session already running). Replies <see cref="CollectionResult"/> when
/// that session ends.
/// </summary>
public sealed record CollectNow(string AccountId) : IAccountCommand;
