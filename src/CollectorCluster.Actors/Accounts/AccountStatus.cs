using CollectorCluster.Core.State;

namespace CollectorCluster.Actors.Accounts;

/// <summary>What an operator sees of one account: the seed's listing (address, last collection) and more.</summary>
public sealed record AccountStatus(
    string AccountId,
    string? Address,
    string? Mailbox,
    bool Configured,
    bool Enabled,
    bool Collecting,
    DateTimeOffset? NextDue,
    CollectionOutcome? LastCollection,
    int CollectedOnServer,
    long TotalCollected,
    long TotalBytes,
    int ConsecutiveFailures,
    bool Paused = false);
