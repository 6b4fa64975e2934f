using CollectorCluster.Core.Delivery;
using CollectorCluster.Pop3;

namespace CollectorCluster.Actors.Collection;

/// <summary>
/// What an account needs from its node: how to dial POP3, where mail goes, the clock, the node's
/// connection leases and the tuning. Passed in so tests can control the clock and nothing reaches for globals.
/// </summary>
public sealed record CollectionEnvironment(
    Func<Pop3ConnectOptions, CancellationToken, Task<IPop3Session>> Connect,
    Func<string, IMessageDestination> Destination,
    IConnectionLeases Leases,
    TimeProvider Clock,
    CollectionTuning Tuning)
{
    /// <summary>The node's online condition; accounts with local-area-network off wait for it. Online unless the host sets one.</summary>
    public NodeOnline Online { get; init; } = new(true);
    /// <summary>Access tokens of XOAUTH2/OAUTHBEARER accounts (memory only, shared by the node's accounts).</summary>
    public OAuth2.OAuth2TokenSource OAuth2 { get; init; } = new(TimeProvider.System);

    /// <summary>
    /// The node key's services (sealing, keyed digests), or null without one: then rotated refresh tokens are kept in
    /// memory only and NeedsOperator is healed across processes only by an operator.
    /// </summary>
    public Core.Accounts.INodeSecrets? Secrets { get; init; }

    /// <summary>How a failed write names the account journal (e.g. "sqlite /var/lib/collector/journal.db"), never a secret.</summary>
    public string JournalName { get; init; } = "account journal";
}
