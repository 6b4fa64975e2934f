namespace CollectorCluster.Delivery;

/// <summary>
/// The destination (not the POP3 source) failed: disk full, permissions, a missing mount. Lets the caller tell a
/// local problem from a remote one; the message names the destination and the account.
/// </summary>
public sealed class DeliveryException : IOException
{
    /// <summary>Creates the exception for <paramref name="destination"/> and <paramref name="accountId"/>.</summary>
    public DeliveryException(string destination, string accountId, string what, Exception? inner)
        : base($"{what} {destination} for account '{accountId}' failed: {inner?.Message ?? "unknown error"}", inner)
    {
        Destination = destination;
        AccountId = accountId;
    }

    /// <summary>The destination, e.g. <c>maildir:/srv/mail/fred</c>.</summary>
    public string Destination { get; }

    /// <summary>The account whose delivery failed.</summary>
    public string AccountId { get; }
}
