namespace CollectorCluster.Core.Routing;

/// <summary>One local user a message goes to, with the addresses that led there.</summary>
/// <param name="User">The user (a key of <see cref="MultidropSettings.Destinations"/>).</param>
/// <param name="Via">The first reason found (user, alias or default).</param>
/// <param name="Addresses">The addresses that mapped to the user; empty when the default took a message without any local address.</param>
public sealed record RoutedUser(string User, RouteVia Via, IReadOnlyList<string> Addresses);
