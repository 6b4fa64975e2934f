namespace CollectorCluster.Core.Planning;

/// <summary>What the planner needs of an account's settings and the server's abilities.</summary>
/// <param name="LeaveMailOnServer">Keep collected messages on the server.</param>
/// <param name="DeleteAfterDays">With leave-on-server: delete this many days after first collection; null = never.</param>
/// <param name="DownloadSmallestFirst">Fetch in ascending size; otherwise the server's order.</param>
/// <param name="ServerSupportsUidl">False when UIDL is not available: then the session collects in delete mode only.</param>
public sealed record CollectionOptions(bool LeaveMailOnServer, int? DeleteAfterDays, bool DownloadSmallestFirst, bool ServerSupportsUidl);
