using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Core.Delivery;

/// <summary>
/// Whose messages a destination holds, and the seed their names derive from: account + server + user, or the account
/// alone for a mailbox collected before identities existed (its existing Maildir files keep being recognised).
/// UIDLs never contain a newline (RFC 1939: 0x21–0x7E), so the two forms of seed never name the same message.
/// </summary>
/// <param name="AccountId">The account (named in errors).</param>
/// <param name="Mailbox">The remote mailbox when names include it; null for the account-only names of an older journal.</param>
public sealed record MailboxScope(string AccountId, MailboxIdentity? Mailbox)
{
    /// <summary>What every name of this scope derives from, with the message's key.</summary>
    public string NameSeed => Mailbox is { } m ? $"{AccountId}\n{m.Server}\n{m.User}" : AccountId;

    /// <summary>The account-only scope of a journal written before identities existed (and of tests that need no mailbox).</summary>
    public static MailboxScope AccountOnly(string accountId) => new(accountId, null);
}
