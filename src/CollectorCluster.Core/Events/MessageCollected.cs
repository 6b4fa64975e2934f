namespace CollectorCluster.Core.Events;

/// <summary>A message was delivered (durably) to the destination. Persisted only after delivery.</summary>
/// <param name="Uidl">The server's UIDL, or a content key (<c>sha256:…</c>) when the server has no UIDL.</param>
/// <param name="Size">Octets as delivered.</param>
/// <param name="FirstSeen">When the collector first saw it listed.</param>
/// <param name="CollectedAt">When delivery completed.</param>
/// <param name="AlreadyPresent">True when the destination already held it (a crash between delivery and this record).</param>
/// <param name="Fingerprint">Header fingerprint (Message-ID, Date, From) for UIDL-migration matching; null in events written before it existed.</param>
/// <param name="StoredAs">
/// The key the destination named the message by when it differs from <paramref name="Uidl"/> (a Maildir that already
/// held another message under the UIDL's name, i.e. a server that reused a UIDL); null when it is the UIDL, and in
/// events written before it existed (<c>MessageCollected.v1</c>).
/// </param>
/// <param name="Digest">
/// SHA-256 of the message as the server sent it (<c>sha256:</c> + 64 hex digits): what proves a re-keyed message is the
/// one delivered before it is deleted on the server (<see cref="Uidl.RekeyProof"/>); null in events written before it
/// existed (<c>MessageCollected.v1</c> and <c>.v2</c>).
/// </param>
public sealed record MessageCollected(string Uidl, long Size, DateTimeOffset FirstSeen, DateTimeOffset CollectedAt, bool AlreadyPresent, string? Fingerprint = null, string? StoredAs = null, string? Digest = null) : IAccountEvent;
