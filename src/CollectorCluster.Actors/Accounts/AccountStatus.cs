using CollectorCluster.Core.State;

namespace CollectorCluster.Actors.Accounts;

/// <summary>What an operator sees of one account: the seed's listing (address, last collection) and more.</summary>
/// <remarks>
/// The server policy's part: <c>Health</c> (Healthy, RetryingTransient, BackingOff, NeedsOperator) with its reason, the
/// last login and the LOGIN-DELAY / EXPIRE the server advertised, and a warning when EXPIRE defeats leave-mail-on-server.
/// </remarks>
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
    string Health = "Healthy",
    string HealthReason = "",
    DateTimeOffset? LastLoginAt = null,
    int? LoginDelaySeconds = null,
    string? Expire = null,
    string? ExpireWarning = null,
    bool Paused = false);
