namespace CollectorCluster.Core.Policy;

/// <summary>What the server policy decided: the account's health and the earliest moment it may connect again.</summary>
/// <param name="Health">The new health.</param>
/// <param name="NotBefore">No connection before this; null when the account waits for an operator (nothing is scheduled).</param>
/// <param name="Reason">Why, in words for the operator; empty when healthy.</param>
public sealed record PolicyDecision(AccountHealth Health, DateTimeOffset? NotBefore, string Reason);
