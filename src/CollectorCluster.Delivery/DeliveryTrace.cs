using System.Text;
using CollectorCluster.Delivery.Maildir;

namespace CollectorCluster.Delivery;

/// <summary>
/// The <c>X-CollectorCluster-Id</c> trace header put on top of messages handed to LMTP, SMTP or an MDA. Those
/// destinations cannot be asked "do you already have it?", so after a crash between the server's acceptance and
/// the journal write a message may arrive twice; the header (the same scope+UIDL hash as the Maildir file name)
/// makes such duplicates identifiable downstream, e.g. by a Sieve rule or a duplicate filter.
/// </summary>
public static class DeliveryTrace
{
    /// <summary>The header name.</summary>
    public const string HeaderName = "X-CollectorCluster-Id";

    /// <summary>The header value for a message of a mailbox scope (<see cref="Core.Delivery.MailboxScope.NameSeed"/>): <c>cc.</c> + 32 hex digits.</summary>
    public static string Id(string nameSeed, string uidl) => MaildirNames.BaseName(nameSeed, uidl);

    /// <summary>The header line, ending with <paramref name="newline"/>; empty when the message has no UIDL.</summary>
    public static byte[] HeaderLine(string nameSeed, string? uidl, string newline) =>
        uidl is null ? [] : Encoding.ASCII.GetBytes($"{HeaderName}: {Id(nameSeed, uidl)}{newline}");
}
