using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;

namespace CollectorCluster.Core.State;

/// <summary>
/// What giving an account its settings (at start, on reload) records: the non-secret configuration when the journal
/// does not have it yet, and, when the settings changed on this node, a return to health: a changed configuration
/// (a new password, say) is, besides an operator's resume, the way out of NeedsOperator. Pure, so every branch is table-tested.
/// </summary>
/// <param name="Configured">The configuration to journal, or null when the journal already holds the same.</param>
/// <param name="SettingsChanged">The settings differ from those this node applied before (never true for the first).</param>
/// <param name="Healed">The health event to journal, or null when the account is healthy or its settings did not change.</param>
public sealed record Reconfiguration(AccountConfigured? Configured, bool SettingsChanged, AccountHealthChanged? Healed)
{
    /// <summary>Decides what applying <paramref name="next"/> records.</summary>
    /// <param name="state">The account's state.</param>
    /// <param name="previous">The settings this node applied before, or null for the first time.</param>
    /// <param name="next">The new settings.</param>
    /// <param name="now">When (the events' time).</param>
    public static Reconfiguration Decide(AccountState state, AccountSettings? previous, AccountSettings next, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(next);
        var applied = new AccountConfigured(next.Address, next.Mailbox, next.LeaveMailOnServer, now);
        var journalled = state.Configuration;
        var configurationChanged = journalled is null || journalled.Address != applied.Address || journalled.Mailbox != applied.Mailbox
            || journalled.LeaveMailOnServer != applied.LeaveMailOnServer;
        var settingsChanged = previous is not null && !previous.Equals(next);
        var healed = settingsChanged && state.Policy.Health != AccountHealth.Healthy
            ? new AccountHealthChanged(nameof(AccountHealth.Healthy), "", null, now)
            : null;
        return new Reconfiguration(configurationChanged ? applied : null, settingsChanged, healed);
    }
}
