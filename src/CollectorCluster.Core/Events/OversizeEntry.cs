namespace CollectorCluster.Core.Events;

/// <summary>One message over the size limit, as reported: UIDL (null when the server gave none), message number and listed size.</summary>
public sealed record OversizeEntry(string? Uidl, int Number, long Size);
