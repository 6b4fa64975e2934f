using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;

namespace CollectorCluster.Core.State;

/// <summary>
/// What giving an account its settings (at start, on reload) records: which mailbox its state belongs to (a changed
/// server or user resets the state), the non-secret configuration when the journal does not have it yet, and, when the
/// settings changed, a return to health: a changed configuration (a new password, say) is, besides an operator's
/// resume, the way out of NeedsOperator. "Changed" is seen in this process (the settings applied before) and across
/// processes (the keyed digest NeedsOperator recorded). Pure, so every branch is table-tested.
/// </summary>
/// <param name="Configured">The configuration to journal, or null when the journal already holds the same.</param>
/// <param name="SettingsChanged">The settings differ from those this node applied before (never true for the first).</param>
/// <param name="Healed">The health event to journal, or null when the account is healthy or its settings did not change.</param>
public sealed record Reconfiguration(AccountConfigured? Configured, bool SettingsChanged, AccountHealthChanged? Healed)
{
    /// <summary>The mailbox identity to journal first (a new account, a journal from before identities, or a changed address: a reset), or null.</summary>
    public MailboxIdentified? Identified { get; init; }

    /// <summary>Decides what applying <paramref name="next"/> records.</summary>
    /// <param name="state">The account's state.</param>
    /// <param name="previous">The settings this node applied before, or null for the first time.</param>
    /// <param name="next">The new settings.</param>
    /// <param name="now">When (the events' time).</param>
    /// <param name="digest">The keyed digest of <paramref name="next"/> (<see cref="SettingsDigest"/>), or null when there is no node key.</param>
    public static Reconfiguration Decide(AccountState state, AccountSettings? previous, AccountSettings next, DateTimeOffset now, string? digest = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(next);
        var identified = Identify(state, MailboxIdentity.Of(next), now);
        var applied = new AccountConfigured(next.Address, next.Mailbox, next.LeaveMailOnServer, now);
        var journalled = state.Configuration;
        var configurationChanged = journalled is null || journalled.Address != applied.Address || journalled.Mailbox != applied.Mailbox
            || journalled.LeaveMailOnServer != applied.LeaveMailOnServer;
        var settingsChanged = previous is not null && !previous.Equals(next);
        var digestChanged = state.Policy.SettingsDigest is { } caused && digest is not null && caused != digest;
        var healed = (settingsChanged || digestChanged) && state.Policy.Health != AccountHealth.Healthy && identified?.Reset != true
            ? new AccountHealthChanged(nameof(AccountHealth.Healthy), "", null, now)
            : null;
        return new Reconfiguration(configurationChanged ? applied : null, settingsChanged, healed) { Identified = identified };
    }

    /// <summary>
    /// The identity event for <paramref name="mailbox"/>: none when the state already belongs to it; a reset when it
    /// belongs to another; for a journal from before identities, account-only names kept when its journalled address is
    /// the same mailbox (so its Maildir files stay recognised), a reset otherwise; mailbox names for a new account.
    /// </summary>
    private static MailboxIdentified? Identify(AccountState state, MailboxIdentity mailbox, DateTimeOffset now)
    {
        MailboxIdentified Reset() => new(mailbox.Server, mailbox.User, NamesIncludeMailbox: true, Reset: true, state.Collected.Count, now);
        if (state.Identity is { } known)
        {
            return known == mailbox ? null : Reset();
        }

        if (state.Configuration is { } older)
        {
            return MailboxIdentity.FromAddress(older.Address) == mailbox
                ? new MailboxIdentified(mailbox.Server, mailbox.User, NamesIncludeMailbox: false, Reset: false, 0, now)
                : Reset();
        }

        // Nothing configured before: a new account, unless something was collected without a configuration (never
        // written by any version; kept as it was, to be safe).
        return new MailboxIdentified(mailbox.Server, mailbox.User, NamesIncludeMailbox: state.Collected.IsEmpty, Reset: false, 0, now);
    }
}
