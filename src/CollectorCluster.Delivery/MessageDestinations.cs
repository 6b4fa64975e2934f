using CollectorCluster.Core.Delivery;
using CollectorCluster.Delivery.Maildir;
using CollectorCluster.Delivery.Mda;
using CollectorCluster.Delivery.Smtp;

namespace CollectorCluster.Delivery;

/// <summary>
/// Turns a parsed <see cref="MailboxSpec"/> into its destination, so callers depend only on
/// <see cref="IMessageDestination"/> and new schemes are added in one place.
/// </summary>
public static class MessageDestinations
{
    /// <summary>Creates the destination <paramref name="spec"/> names.</summary>
    /// <exception cref="NotSupportedException">The scheme has no destination.</exception>
    public static IMessageDestination Create(MailboxSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Scheme switch
        {
            MailboxSpec.MaildirScheme => new MaildirDestination(spec.Location),
            MailboxSpec.LmtpScheme or MailboxSpec.SmtpScheme => new SmtpDestination(SmtpDestinationOptions.FromSpec(spec)),
            MailboxSpec.MdaScheme => new MdaDestination(MdaCommand.Parse(spec.Location)),
            _ => throw new NotSupportedException($"Mailbox '{spec}': the '{spec.Scheme}' destination is not supported."),
        };
    }
}
