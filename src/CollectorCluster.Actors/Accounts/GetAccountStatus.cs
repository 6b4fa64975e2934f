namespace CollectorCluster.Actors.Accounts;

/// <summary>Asks for an <see cref="AccountStatus"/>; answered even while a session runs.</summary>
public sealed record GetAccountStatus(string AccountId) : IAccountCommand;
