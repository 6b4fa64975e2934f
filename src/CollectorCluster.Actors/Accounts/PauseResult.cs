namespace CollectorCluster.Actors.Accounts;

/// <summary>The answer to <see cref="PauseAccount"/>.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Paused">Whether it is paused now.</param>
/// <param name="Changed">False when it already was in that state (nothing journaled).</param>
public sealed record PauseResult(string AccountId, bool Paused, bool Changed);
