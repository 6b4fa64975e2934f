namespace CollectorCluster.Core.Routing;

/// <summary>One user's copy of a routed message, as journalled with it.</summary>
/// <param name="User">The local user.</param>
/// <param name="Via">Why the user (user, alias, default).</param>
/// <param name="Outcome">Delivered, already delivered, or suppressed as a duplicate.</param>
/// <param name="DeliveredFrom">For a duplicate: the source (<c>account/uidl</c>) whose copy the user got; null otherwise.</param>
public sealed record RoutedCopy(string User, RouteVia Via, CopyOutcome Outcome, string? DeliveredFrom = null);
