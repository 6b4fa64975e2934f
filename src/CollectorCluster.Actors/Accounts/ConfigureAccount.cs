using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Actors.Accounts;

/// <summary>Gives an account its settings (at start, on reload). Also wakes the entity. Replies <see cref="AccountAck"/>.</summary>
/// <param name="Settings">The account's settings.</param>
/// <param name="Scheduled">False for one-shot runs (<c>collector once</c>): collect only when told to.</param>
public sealed record ConfigureAccount(AccountSettings Settings, bool Scheduled = true) : IAccountCommand
{
    /// <inheritdoc />
    public string AccountId => Settings.Id;
}
