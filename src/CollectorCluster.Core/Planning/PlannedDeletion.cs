namespace CollectorCluster.Core.Planning;

/// <summary>A message the session will DELE, and why.</summary>
public sealed record PlannedDeletion(ListedMessage Message, DeletionReason Reason);
