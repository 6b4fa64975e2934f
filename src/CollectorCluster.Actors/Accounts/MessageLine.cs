namespace CollectorCluster.Actors.Accounts;

/// <summary>One message as an operator sees it in the collector's message lines, so they can mark it.</summary>
/// <param name="Uidl">The message's UIDL.</param>
/// <param name="Size">Octets as collected; 0 when only marked.</param>
/// <param name="FirstSeen">When first listed; null when only marked.</param>
/// <param name="CollectedAt">When collected; null when only marked.</param>
/// <param name="State"><c>downloaded</c>, <c>marked-download</c> or <c>marked-delete</c>.</param>
public sealed record MessageLine(string Uidl, long Size, DateTimeOffset? FirstSeen, DateTimeOffset? CollectedAt, string State);
