namespace CollectorCluster.Core.Delivery;

/// <summary>The outcome of one delivery.</summary>
/// <param name="Key">The UIDL given, or the content key when none was.</param>
/// <param name="Bytes">Octets delivered (or already present).</param>
/// <param name="AlreadyPresent">The destination already held this message; nothing was written.</param>
/// <param name="Location">Where it is (a file path for Maildir).</param>
public sealed record DeliveryReceipt(string Key, long Bytes, bool AlreadyPresent, string Location);
