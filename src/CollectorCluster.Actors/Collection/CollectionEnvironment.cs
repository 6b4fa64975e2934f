using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Delivery;
using CollectorCluster.Core.Routing;
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
    /// The cluster key's services (sealing, keyed digests), or null without one: then settings come only as
    /// <c>ConfigureAccount</c>, rotated refresh tokens are kept in memory only and NeedsOperator is healed across
    /// processes only by an operator.
    /// </summary>
    public Core.Accounts.INodeSecrets? Secrets { get; init; }

    /// <summary>
    /// Why this node will not host a runtime-added account with these settings (its <c>collector.runtime-accounts</c>
    /// policy), or null when it may; null function: every runtime account is allowed. Checked when an entity restores
    /// its settings from its journal.
    /// </summary>
    public Func<Core.Accounts.AccountSettings, string?>? RuntimeRefusal { get; init; }

    /// <summary>How a failed write names the account journal (e.g. "sqlite /var/lib/collector/journal.db"), never a secret.</summary>
    public string JournalName { get; init; } = "account journal";

    /// <summary>The multidrop recipients' memory of delivered copies (duplicate suppression); null on a node without multidrop delivery.</summary>
    public IDuplicateLedger? Recipients { get; init; }

    /// <summary>
    /// Makes a multidrop account's destination (routing each message to its local users) in this environment, from the
    /// account and the journal its routing decisions go to; null on a node that cannot (a multidrop account then fails
    /// with that reason).
    /// </summary>
    public Func<CollectionEnvironment, AccountSettings, IRoutingJournal, IMessageDestination>? Multidrop { get; init; }

    /// <summary>Where an account's mail goes: its mailbox, or, for a multidrop account, the fan-out to its users.</summary>
    public IMessageDestination DestinationFor(AccountSettings account, IRoutingJournal journal)
    {
        ArgumentNullException.ThrowIfNull(account);
        if (account.Multidrop is null)
        {
            return Destination(account.Mailbox);
        }

        return Multidrop?.Invoke(this, account, journal)
            ?? throw new InvalidOperationException($"account {account.Id} is a multidrop account, and this node has no multidrop delivery");
    }
}
