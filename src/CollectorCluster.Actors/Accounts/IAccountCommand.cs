namespace CollectorCluster.Actors.Accounts;

/// <summary>Any message addressed to one account; sharding routes it by <see cref="AccountId"/>.</summary>
public interface IAccountCommand
{
    /// <summary>The account (entity id).</summary>
    string AccountId { get; }
}
