using Akka.Routing;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// Asks for a connection slot; the sender gets <see cref="LeaseGranted"/> from the server's tokens actor and is
/// watched, so its death returns the slot. Hashed on the server (lower-case) so every request for one server
/// reaches the same per-server tokens actor behind the router.
/// </summary>
public sealed record RequestLease(string AccountId, string Server, int Priority) : IConsistentHashable
{
    /// <inheritdoc />
    public object ConsistentHashKey => Server.ToLowerInvariant();
}
