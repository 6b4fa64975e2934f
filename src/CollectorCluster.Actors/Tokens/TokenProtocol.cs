using Akka.Routing;
using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tokens;

// The connection-token protocol (ConnectionTokens and the actors behind it).

// Leases: a session (through its LeaseHolder) and its server's ServerTokens actor.

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

/// <summary>
/// The requester may connect now. It owes <see cref="LeaseConnected"/> once connected and <see cref="ReleaseLease"/>
/// when done, both sent to this message's sender (the server's tokens actor that granted it).
/// </summary>
public sealed record LeaseGranted(long LeaseId);

/// <summary>The lease's connect finished, so its half-open slot (max-connecting) can go to the next request.</summary>
public sealed record LeaseConnected(long LeaseId);

/// <summary>Gives a lease back, or withdraws a request not yet granted. Unknown or expired ids are ignored.</summary>
public sealed record ReleaseLease(long LeaseId);

// Slots: a ServerTokens actor and the node-wide NodeTokenPool.

/// <summary>A server's tokens actor asks the node pool for one node-wide slot, standing for a waiting session of this priority and arrival time.</summary>
public sealed record RequestSlot(long Ticket, string Server, int Priority, DateTimeOffset Since);

/// <summary>The node pool gives the server's tokens actor a node-wide slot for <see cref="Ticket"/>.</summary>
public sealed record SlotGranted(long Ticket);

/// <summary>The session holding this slot has connected: its half-open (max-connecting) share is free.</summary>
public sealed record SlotConnected(long Ticket);

/// <summary>Gives a node-wide slot back, or withdraws its request if not yet granted.</summary>
public sealed record ReleaseSlot(long Ticket);

/// <summary>A queued slot request now stands for a different session: its new priority and arrival time.</summary>
public sealed record RerankSlot(long Ticket, int Priority, DateTimeOffset Since);

// Figures: operators and tests asking ConnectionTokens, which gathers them from its parts.

/// <summary>Asks <see cref="ConnectionTokens"/> for its <see cref="Core.Tokens.TokenFigures"/> (for operators and tests).</summary>
public sealed record GetTokenFigures
{
    /// <summary>The one instance.</summary>
    public static GetTokenFigures Instance { get; } = new();
}

/// <summary>Broadcast to the per-server tokens actors; each answers with <see cref="ServerFigures"/>.</summary>
public sealed record GetServerFigures
{
    /// <summary>The one instance.</summary>
    public static GetServerFigures Instance { get; } = new();
}

/// <summary>One per-server tokens actor's figures: one entry per remote server it governs.</summary>
public sealed record ServerFigures(IReadOnlyList<ServerTokenFigures> Servers);
