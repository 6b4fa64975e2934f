namespace CollectorCluster.Core.Delivery;

/// <summary>
/// A destination that can say which collected messages it still holds for an account and remove one: what Mirror
/// Mailbox needs. Maildir can (its file names are the hash of the scope + key); a relay (LMTP/SMTP) cannot.
/// </summary>
public interface IMirrorableDestination
{
    /// <summary>Which of <paramref name="keys"/> (the names messages were stored under) the destination still holds for the scope.</summary>
    /// <exception cref="IOException">The destination cannot be read: nothing may be concluded, so the caller must not mirror.</exception>
    IReadOnlySet<string> Holding(MailboxScope scope, IReadOnlyCollection<string> keys);

    /// <summary>Removes the scope's local copy stored under <paramref name="key"/>; false when there was none (already gone).</summary>
    /// <exception cref="IOException">A copy exists but cannot be removed.</exception>
    bool Remove(MailboxScope scope, string key);
}
