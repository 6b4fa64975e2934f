using CollectorCluster.Core.Delivery;
using CollectorCluster.Delivery.Maildir;

namespace CollectorCluster.Delivery;

/// <summary>
/// Turns a parsed <see cref="MailboxSpec"/> into its destination, so callers depend only on
/// <see cref="IMessageDestination"/> and new schemes are added in one place.
/// </summary>
public static class MessageDestinations
{
    /// <summary>Creates the destination <paramref name="spec"/> names.</summary>
    /// <exception cref="NotSupportedException">The scheme has no destination yet.</exception>
    public static IMessageDestination Create(MailboxSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Scheme switch
        {
            MailboxSpec.MaildirScheme => new MaildirDestination(spec.Location),
            _ => throw new NotSupportedException($"Mailbox '{spec}': the '{spec.Scheme}' destination is not supported yet."),
        };
    }
}
