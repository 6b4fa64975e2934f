namespace CollectorCluster.Actors.Accounts;

/// <summary>Asks for the seed's message lines: what the account knows of each message, to choose marks from. Replies <see cref="MessageLines"/>.</summary>
/// <param name="AccountId">The account.</param>
public sealed record GetMessageLines(string AccountId) : IAccountCommand;
