namespace CollectorCluster.Core.State;

/// <summary>A message the account has collected and the server still listed at the last look.</summary>
/// <param name="Uidl">Its UIDL (or content key) on the server now.</param>
/// <param name="Size">Octets as collected.</param>
/// <param name="FirstSeen">When first listed.</param>
/// <param name="CollectedAt">When delivered.</param>
/// <param name="Fingerprint">Header fingerprint, for UIDL migrations.</param>
/// <param name="StoredAs">The key its destination name derives from when that is not <paramref name="Uidl"/>: the old UIDL of a re-keyed message, or the content-qualified key of a reused UIDL.</param>
/// <param name="Digest">SHA-256 of the message as delivered (<see cref="Events.MessageCollected.Digest"/>); null when collected before digests were recorded.</param>
/// <param name="Rekeyed">
/// Its UIDL came from a header match (<see cref="Events.UidlsRekeyed"/>), not yet proved by its content: it is not deleted
/// on the server until <see cref="Uidl.RekeyProof"/> proves it.
/// </param>
public sealed record CollectedMessage(string Uidl, long Size, DateTimeOffset FirstSeen, DateTimeOffset CollectedAt, string? Fingerprint = null, string? StoredAs = null, string? Digest = null, bool Rekeyed = false)
{
    /// <summary>The key the destination holds it under (Mirror Mailbox looks it up and removes it by this).</summary>
    public string StoredKey => StoredAs ?? Uidl;
}
