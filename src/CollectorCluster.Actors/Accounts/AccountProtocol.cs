using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.Routing;
using CollectorCluster.Core.State;

namespace CollectorCluster.Actors.Accounts;

// The account protocol: what operators, the node and sharding say to one account (AccountActor), and its answers.

// Commands: each names its account, so sharding routes it.

/// <summary>Any message addressed to one account; sharding routes it by <see cref="AccountId"/>.</summary>
public interface IAccountCommand
{
    /// <summary>The account (entity id).</summary>
    string AccountId { get; }
}

/// <summary>
/// To the local <see cref="AccountDirectory"/> (one-shot runs): replies the account's actor, created if need be (or
/// <see cref="ActorRefs.Nobody"/> once the directory is stopping), so the caller can watch it: an account that stops
/// without answering (its journal failed while it recovered) must not leave <c>collector once</c> waiting.
/// </summary>
public sealed record LocateAccount(string AccountId) : IAccountCommand;

/// <summary>Gives an account its settings (at start, on reload). Also wakes the entity. Replies <see cref="AccountAck"/>.</summary>
/// <param name="Settings">The account's settings.</param>
/// <param name="Scheduled">False for one-shot runs (<c>collector once</c>): collect only when told to.</param>
public sealed record ConfigureAccount(AccountSettings Settings, bool Scheduled = true) : IAccountCommand
{
    /// <inheritdoc />
    public string AccountId => Settings.Id;
}

/// <summary>
/// Collect as soon as possible (joins a session already running). Replies <see cref="CollectionResult"/> when
/// that session ends.
/// </summary>
public sealed record CollectNow(string AccountId) : IAccountCommand;

/// <summary>Asks for an <see cref="AccountStatus"/>; answered even while a session runs.</summary>
public sealed record GetAccountStatus(string AccountId) : IAccountCommand;

/// <summary>Asks for the seed's message lines: what the account knows of each message, to choose marks from. Replies <see cref="MessageLines"/>.</summary>
/// <param name="AccountId">The account.</param>
public sealed record GetMessageLines(string AccountId) : IAccountCommand;

/// <summary>
/// Asks for the last sessions' results, oldest first (the console's collection chart: messages and bytes per
/// collection). Replies <see cref="CollectionHistory"/>.
/// </summary>
/// <param name="AccountId">The account.</param>
/// <param name="Max">At most this many, the newest.</param>
public sealed record GetCollectionHistory(string AccountId, int Max) : IAccountCommand;

/// <summary>
/// Marks one message for the next session, persisted so it survives a restart. Download needs a collected UIDL
/// (anything else would be fetched anyway); Delete and Clear accept any UIDL. Replies <see cref="MarkResult"/>.
/// </summary>
/// <param name="AccountId">The account.</param>
/// <param name="Uidl">The message's UIDL.</param>
/// <param name="Action">What to do.</param>
public sealed record MarkMessage(string AccountId, string Uidl, MarkAction Action) : IAccountCommand;

/// <summary>What an operator does to one message from the message lines (the seed's "Collector Tasks").</summary>
public enum MarkAction
{
    /// <summary>Collect it again next session.</summary>
    Download,

    /// <summary>Delete it on the server next session.</summary>
    Delete,

    /// <summary>Withdraw a mark before a session acts on it.</summary>
    Clear,
}

/// <summary>
/// Asks what <see cref="ResetCollector"/> would forget, so an operator sees the cost before confirming. Changes
/// nothing. Replies <see cref="ResetPreviewResult"/>.
/// </summary>
/// <param name="AccountId">The account.</param>
/// <param name="Since">Only messages first seen at or after this; null means all.</param>
public sealed record PreviewReset(string AccountId, DateTimeOffset? Since) : IAccountCommand;

/// <summary>
/// The seed's "reset a POP3 collector": forgets collected messages (all, or first seen since <see cref="Since"/>),
/// so the next session collects them again; the maildir recognises copies it already holds. Persisted; replies
/// <see cref="ResetPreviewResult"/> with what was forgotten.
/// </summary>
/// <param name="AccountId">The account.</param>
/// <param name="Since">Only messages first seen at or after this; null means all.</param>
public sealed record ResetCollector(string AccountId, DateTimeOffset? Since) : IAccountCommand;

/// <summary>
/// Pause (<see cref="Paused"/> true) or resume the account; journaled, so it survives restarts. A session already
/// running finishes. Replies <see cref="PauseResult"/>.
/// </summary>
public sealed record PauseAccount(string AccountId, bool Paused) : IAccountCommand;

/// <summary>
/// The operator's "collector resume": clears a NeedsOperator (or back-off) state so the schedule runs again.
/// The only way, besides a configuration change, out of a refused password: the collector never retries one by itself.
/// </summary>
public sealed record ResumeAccount(string AccountId) : IAccountCommand;

// Sharding's hand-off.

/// <summary>
/// Sharding's hand-off message: the account finishes the message in flight, records it, commits with QUIT and
/// stops, instead of being killed mid-RETR.
/// </summary>
public sealed class StopAccount
{
    /// <summary>The one instance.</summary>
    public static readonly StopAccount Instance = new();

    private StopAccount()
    {
    }
}

// Answers.

/// <summary>A command was accepted.</summary>
public sealed record AccountAck(string AccountId);

/// <summary>How one session ended.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Address">account@server.</param>
/// <param name="Succeeded">QUIT committed and nothing failed.</param>
/// <param name="Listed">Messages the server listed.</param>
/// <param name="Collected">Messages collected (delivered and recorded), also when the session failed after collecting some.</param>
/// <param name="Deleted">Deletions the server committed.</param>
/// <param name="Bytes">Bytes collected.</param>
/// <param name="Duration">Session wall time.</param>
/// <param name="Detail">The error (failed) or warnings (succeeded); empty when none.</param>
public sealed record CollectionResult(
    string AccountId,
    string Address,
    bool Succeeded,
    int Listed,
    int Collected,
    int Deleted,
    long Bytes,
    TimeSpan Duration,
    string Detail)
{
    /// <summary>
    /// Not collected now because of the server's LOGIN-DELAY (the account's own gate, or the server's [LOGIN-DELAY]
    /// refusal): a wait, not a failure; <see cref="Detail"/> says until when.
    /// </summary>
    public bool Deferred { get; init; }

    /// <summary>A stop request (SIGTERM, Ctrl+C, a hand-off) ended the session early; what it delivered is recorded.</summary>
    public bool Interrupted { get; init; }
}

/// <summary>What an operator sees of one account: the seed's listing (address, last collection) and more.</summary>
/// <remarks>
/// The server policy's part: <c>Health</c> with its reason, the last login and the LOGIN-DELAY / EXPIRE the server
/// advertised, and a warning when EXPIRE defeats leave-mail-on-server. A multidrop account's <c>Routing</c>: copies
/// delivered and duplicates suppressed over its life (null for an ordinary account). <c>Sleeping</c>: answered by the
/// account's alarm while it sleeps (<c>collector.sleep</c>), as it stood when it fell asleep.
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
    AccountHealth Health = AccountHealth.Healthy,
    string HealthReason = "",
    DateTimeOffset? LastLoginAt = null,
    int? LoginDelaySeconds = null,
    string? Expire = null,
    string? ExpireWarning = null,
    bool Paused = false,
    RoutingCounts? Routing = null,
    bool Sleeping = false);

/// <summary>The answer to <see cref="GetMessageLines"/>: one line per collected or marked message, ordered by UIDL (ordinal).</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Lines">The lines.</param>
public sealed record MessageLines(string AccountId, IReadOnlyList<MessageLine> Lines);

/// <summary>One message as an operator sees it in the collector's message lines, so they can mark it.</summary>
/// <param name="Uidl">The message's UIDL.</param>
/// <param name="Size">Octets as collected; 0 when only marked.</param>
/// <param name="FirstSeen">When first listed; null when only marked.</param>
/// <param name="CollectedAt">When collected; null when only marked.</param>
/// <param name="State"><c>downloaded</c>, <c>marked-download</c> or <c>marked-delete</c>.</param>
public sealed record MessageLine(string Uidl, long Size, DateTimeOffset? FirstSeen, DateTimeOffset? CollectedAt, string State);

/// <summary>The answer to <see cref="GetCollectionHistory"/>: the last sessions, oldest first.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Sessions">Each session's start, end, success, messages and bytes collected, and detail.</param>
public sealed record CollectionHistory(string AccountId, IReadOnlyList<CollectionOutcome> Sessions);

/// <summary>The answer to <see cref="MarkMessage"/>, sent after the mark is persisted, so an operator knows whether it took.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Uidl">The message's UIDL.</param>
/// <param name="Applied">True when the mark was recorded (or cleared).</param>
/// <param name="Detail">What happened, or why it was refused.</param>
public sealed record MarkResult(string AccountId, string Uidl, bool Applied, string Detail);

/// <summary>What a reset would forget (<see cref="PreviewReset"/>) or did forget (<see cref="ResetCollector"/>).</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Messages">Collected messages forgotten.</param>
/// <param name="Bytes">Their size in octets.</param>
public sealed record ResetPreviewResult(string AccountId, int Messages, long Bytes);

/// <summary>The answer to <see cref="PauseAccount"/>.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Paused">Whether it is paused now.</param>
/// <param name="Changed">False when it already was in that state (nothing journaled).</param>
public sealed record PauseResult(string AccountId, bool Paused, bool Changed);

/// <summary>Answer to <see cref="ResumeAccount"/>.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="PreviousHealth">The health it had before.</param>
/// <param name="Detail">What was done, for the operator.</param>
public sealed record ResumeResult(string AccountId, AccountHealth PreviousHealth, string Detail);
