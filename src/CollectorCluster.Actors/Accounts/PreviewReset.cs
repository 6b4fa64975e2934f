namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// Asks what <see cref="ResetCollector"/> would forget, so an operator sees the cost before confirming. Changes
/// nothing. Replies <see cref="ResetPreviewResult"/>.
/// </summary>
/// <param name="AccountId">The account.</param>
/// <param name="Since">Only messages first seen at or after this; null means all.</param>
public sealed record PreviewReset(string AccountId, DateTimeOffset? Since) : IAccountCommand;
