namespace CollectorCluster.Core.Delivery;

/// <summary>The outcome of one delivery.</summary>
/// <param name="Key">
/// The key the message is stored under: the UIDL given, the content key when none was, or the UIDL with the content's
/// digest when another message already held the UIDL's name (a reused UIDL).
/// </param>
/// <param name="Bytes">Octets delivered (or already present).</param>
/// <param name="AlreadyPresent">The destination already held this message; nothing was written.</param>
/// <param name="Location">Where it is (a file path for Maildir).</param>
public sealed record DeliveryReceipt(string Key, long Bytes, bool AlreadyPresent, string Location);
