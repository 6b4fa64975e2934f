namespace CollectorCluster.Core.Events;

/// <summary>A local recipient received a copy of a message (journalled by the recipient as soon as the destination holds it).</summary>
/// <param name="Key">The duplicate key.</param>
/// <param name="Source">The account and UIDL that delivered it (<c>account/uidl</c>).</param>
/// <param name="At">When.</param>
/// <param name="ExpiresAt">Until when it suppresses further copies.</param>
public sealed record CopyDelivered(string Key, string Source, DateTimeOffset At, DateTimeOffset ExpiresAt) : IRecipientEvent;
