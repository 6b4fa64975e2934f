using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Core.Events;

/// <summary>
/// The account's settings as applied, secrets sealed under the cluster key: its own journal is where any node that
/// comes to host it (hand-off, fail-over, a restart) reads them, so it collects with the settings last applied
/// anywhere in the cluster. Written when they first appear or change. Manifest <c>AccountSettingsChanged.v1</c>.
/// </summary>
/// <param name="Settings">Every key, the secrets sealed.</param>
/// <param name="Origin">Where the account is defined (file or run time).</param>
/// <param name="At">When they were applied.</param>
public sealed record AccountSettingsChanged(SealedAccountSettings Settings, AccountOrigin Origin, DateTimeOffset At) : IAccountEvent;
