namespace CollectorCluster.Core.Events;

/// <summary>
/// The server policy moved the account to another health (or an operator resumed it). Journalled so a node that
/// takes the account over does not retry a refused password.
/// </summary>
/// <param name="Health">The <see cref="Policy.AccountHealth"/> name.</param>
/// <param name="Reason">Why, for the operator (never a secret).</param>
/// <param name="NotBefore">Earliest next connect, or null (waiting for an operator, or no limit).</param>
/// <param name="At">When.</param>
public sealed record AccountHealthChanged(string Health, string Reason, DateTimeOffset? NotBefore, DateTimeOffset At) : IAccountEvent;
