namespace CollectorCluster.Core.Planning;

/// <summary>What one session does, decided before the first RETR.</summary>
/// <param name="Fetch">Messages to download, in download order.</param>
/// <param name="DeleteAfterFetch">DELE each fetched message once its collection is recorded.</param>
/// <param name="Delete">Already-collected messages to DELE this session.</param>
/// <param name="Vanished">Collected or marked UIDLs no longer listed (to prune from state).</param>
/// <param name="Warnings">Things an operator should know (no UIDL support, duplicate UIDLs, ...).</param>
public sealed record CollectionPlan(
    IReadOnlyList<ListedMessage> Fetch,
    bool DeleteAfterFetch,
    IReadOnlyList<PlannedDeletion> Delete,
    IReadOnlyList<string> Vanished,
    IReadOnlyList<string> Warnings);
