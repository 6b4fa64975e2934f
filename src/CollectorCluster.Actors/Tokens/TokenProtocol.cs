using CollectorCluster.Core.Tokens;

namespace CollectorCluster.Actors.Tokens;

// The connection-token protocol. A session's lease needs two things: a share of its POP3 server's budget, governed by
// one ServerGovernor for the whole cluster (max-per-server), and a slot of its own node (max-pop3-clients,
// max-connecting), kept by the node's ConnectionTokens, in that order, so a node slot is never held while waiting for
// a server (no head-of-line blocking across servers).

// Leases: a session (through its LeaseHolder) and its node's ConnectionTokens.

/// <summary>Asks the node's tokens for a lease; the sender gets <see cref="LeaseGranted"/> and is watched, so its death returns the lease.</summary>
public sealed record RequestLease(string AccountId, string Server, int Priority);

/// <summary>
/// The requester may connect now. It owes <see cref="LeaseConnected"/> once connected, <see cref="LeaseProgress"/>
/// while it makes progress, and <see cref="ReleaseLease"/> when done, all to this message's sender.
/// </summary>
public sealed record LeaseGranted(long LeaseId);

/// <summary>The lease's connect finished, so its half-open slot (max-connecting) can go to the next request.</summary>
public sealed record LeaseConnected(long LeaseId);

/// <summary>The session made progress: its lease is kept for another lease-timeout.</summary>
public sealed record LeaseProgress(long LeaseId);

/// <summary>
/// To the holder: the session made no progress for lease-timeout; abort it and release. The lease stays counted
/// until the holder releases it (or stops), so the caps hold while the aborted session closes its connection.
/// </summary>
public sealed record LeaseRevoked(long LeaseId);

/// <summary>Gives a lease back, or withdraws a request not yet granted. Unknown ids are ignored.</summary>
public sealed record ReleaseLease(long LeaseId);

// Server budgets: a node's ConnectionTokens and the server's governor (a sharded entity keyed by the lower-cased host).

/// <summary>A message for one server's governor; sharding routes it by <see cref="Server"/> (lower-case host).</summary>
public interface IServerBudgetCommand
{
    /// <summary>The server's host name, lower-case.</summary>
    string Server { get; }
}

/// <summary>A node asks for a share of <see cref="Server"/>'s budget for one session; the governor answers <see cref="ServerLeaseGranted"/> and watches the node.</summary>
/// <param name="Server">The server, lower-case.</param>
/// <param name="LeaseId">The request's id, unique in the cluster (the node's incarnation and a counter).</param>
/// <param name="AccountId">The account.</param>
/// <param name="Priority">The account's priority.</param>
/// <param name="Since">When the session first asked.</param>
public sealed record AcquireServerLease(string Server, string LeaseId, string AccountId, int Priority, DateTimeOffset Since) : IServerBudgetCommand;

/// <summary>The governor granted the lease; if the node no longer wants it, it releases it at once.</summary>
public sealed record ServerLeaseGranted(string Server, string LeaseId);

/// <summary>A node gives a server lease back, or withdraws its request.</summary>
public sealed record ReleaseServerLease(string Server, string LeaseId) : IServerBudgetCommand;

/// <summary>
/// A governor that (re)starts asks every node's tokens (<c>/user/connection-tokens</c>) what they hold and wait for on
/// its server, and grants nothing until all have answered <see cref="RollCallAnswer"/>: a governor whose node died
/// knows nothing, and must not hand out what connected sessions elsewhere still hold.
/// </summary>
public sealed record RollCall(string Server);

/// <summary>A node's leases and waiting requests on <see cref="Server"/>, for a governor's roll call.</summary>
public sealed record RollCallAnswer(string Server, IReadOnlyList<LeaseReport> Leases) : IServerBudgetCommand;

/// <summary>Asks a server's governor for its (cluster-wide) figures. Replies <see cref="ServerFigures"/>.</summary>
public sealed record GetServerFigures(string Server) : IServerBudgetCommand;

/// <summary>Figures of the servers asked.</summary>
public sealed record ServerFigures(IReadOnlyList<ServerTokenFigures> Servers);

/// <summary>Sharding's hand-off and passivation message for a governor.</summary>
public sealed record StopServerGovernor
{
    /// <summary>The one instance.</summary>
    public static StopServerGovernor Instance { get; } = new();
}

// Figures: operators and tests asking ConnectionTokens.

/// <summary>Asks <see cref="ConnectionTokens"/> for its <see cref="Core.Tokens.TokenFigures"/> (this node's, with each server's cluster-wide figures).</summary>
public sealed record GetTokenFigures
{
    /// <summary>The one instance.</summary>
    public static GetTokenFigures Instance { get; } = new();
}
