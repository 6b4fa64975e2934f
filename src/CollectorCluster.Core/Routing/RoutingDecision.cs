namespace CollectorCluster.Core.Routing;

/// <summary>Where one message of a multidrop mailbox goes.</summary>
/// <param name="Source">Where the recipients came from: the envelope header's name, or <c>To/Cc</c>.</param>
/// <param name="Users">Each local user once, in the order first found.</param>
/// <param name="Refused">Local addresses no user takes (only without a default), and the whole message when nothing matched.</param>
/// <param name="Foreign">Addresses outside the local domains, which are not ours to route.</param>
public sealed record RoutingDecision(string Source, IReadOnlyList<RoutedUser> Users, IReadOnlyList<RefusedRecipient> Refused, int Foreign)
{
    /// <summary>The header source name used when no envelope header named a local address.</summary>
    public const string HeaderSource = "To/Cc";
}
