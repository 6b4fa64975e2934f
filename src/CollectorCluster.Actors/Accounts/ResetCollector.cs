namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// The seed's "reset a POP3 collector": forgets collected messages (all, or first seen since <see cref="Since"/>),
/// so the next session collects them again; the maildir recognises copies it already holds. Persisted; replies
/// <see cref="ResetPreviewResult"/> with what was forgotten.
/// </summary>
/// <param name="AccountId">The account.</param>
/// <param name="Since">Only messages first seen at or after this; null means all.</param>
public sealed record ResetCollector(string AccountId, DateTimeOffset? Since) : IAccountCommand;
