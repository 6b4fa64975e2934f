namespace CollectorCluster.Core.Delivery;

/// <summary>
/// A destination that can say which collected messages it still holds for an account and remove one: what Mirror
/// Mailbox needs. Maildir can (its file names are the hash of account + UIDL); a relay (LMTP/SMTP) cannot.
/// </summary>
public interface IMirrorableDestination
{
    /// <summary>Which of <paramref name="uidls"/> the destination still holds for the account (anywhere it keeps mail).</summary>
    /// <exception cref="IOException">The destination cannot be read: nothing may be concluded, so the caller must not mirror.</exception>
    IReadOnlySet<string> Holding(string accountId, IReadOnlyCollection<string> uidls);

    /// <summary>Removes the account's local copy of <paramref name="uidl"/>; false when there was none (already gone).</summary>
    /// <exception cref="IOException">A copy exists but cannot be removed.</exception>
    bool Remove(string accountId, string uidl);
}
