namespace CollectorCluster.Core.Events;

/// <summary>A message was delivered (durably) to the destination. Persisted only after delivery.</summary>
/// <param name="Uidl">The server's UIDL, or a content key (<c>sha256:…</c>) when the server has no UIDL.</param>
/// <param name="Size">Octets as delivered.</param>
/// <param name="FirstSeen">When the collector first saw it listed.</param>
/// <param name="CollectedAt">When delivery completed.</param>
/// <param name="AlreadyPresent">True when the destination already held it (a crash between delivery and this record).</param>
/// <param name="Fingerprint">Header fingerprint (Message-ID, Date, From) for UIDL-migration matching; null in events written before it existed.</param>
public sealed record MessageCollected(string Uidl, long Size, DateTimeOffset FirstSeen, DateTimeOffset CollectedAt, bool AlreadyPresent, string? Fingerprint = null) : IAccountEvent;
