namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// Marks one message for the next session, persisted so it survives a restart. Download needs a collected UIDL
/// (anything else would be fetched anyway); Delete and Clear accept any UIDL. Replies <see cref="MarkResult"/>.
/// </summary>
/// <param name="AccountId">The account.</param>
/// <param name="Uidl">The message's UIDL.</param>
/// <param name="Action">What to do.</param>
public sealed record MarkMessage(string AccountId, string Uidl, MarkAction Action) : IAccountCommand;
