namespace CollectorCluster.Core.Routing;

/// <summary>An address (or, with none, the whole message) that no local user takes, and why.</summary>
/// <param name="Address">The address, or <c>-</c> when the message named no local address at all.</param>
/// <param name="Reason">Why it was refused, for the operator.</param>
public sealed record RefusedRecipient(string Address, string Reason);
