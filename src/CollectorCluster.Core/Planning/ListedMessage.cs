namespace CollectorCluster.Core.Planning;

/// <summary>One line of the server's listing: message number (this session only), UIDL (null when the server has none) and size.</summary>
public sealed record ListedMessage(int Number, string? Uidl, long Size);
