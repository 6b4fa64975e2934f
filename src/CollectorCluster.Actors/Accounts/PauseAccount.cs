namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// Pause (<see cref="Paused"/> true) or resume the account; journaled, so it survives restarts. A session already
/// running finishes. Replies <see cref="PauseResult"/>.
/// </summary>
public sealed record PauseAccount(string AccountId, bool Paused) : IAccountCommand;
