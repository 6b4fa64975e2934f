namespace CollectorCluster.Core.Events;

/// <summary>
/// The server policy moved the account to another health (or an operator resumed it). Journalled so a node that
/// takes the account over does not retry a refused password.
/// </summary>
/// <param name="Health">The <see cref="Policy.AccountHealth"/> name.</param>
/// <param name="Reason">Why, for the operator (never a secret).</param>
/// <param name="NotBefore">Earliest next connect, or null (waiting for an operator, or no limit).</param>
/// <param name="At">When.</param>
/// <param name="SettingsDigest">
/// With NeedsOperator: the keyed digest (<see cref="Accounts.SettingsDigest"/>) of the settings the failing session
/// ran with, so a process started later with other settings (a fixed password, a pinned certificate) knows the
/// configuration changed and heals the account. Never the settings or a secret themselves; null otherwise, and in
/// events written before it existed (<c>AccountHealthChanged.v1</c>).
/// </param>
public sealed record AccountHealthChanged(string Health, string Reason, DateTimeOffset? NotBefore, DateTimeOffset At, string? SettingsDigest = null) : IAccountEvent;
