using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Actors.Accounts;

// The part of the account protocol that carries settings between nodes: whichever node an operator or a reload acts
// at, the account gets them wherever it is hosted, secrets sealed under the cluster key (never a plain secret on the
// wire), and keeps them in its own journal for whichever node hosts it next.

/// <summary>
/// Applies settings to an account from anywhere in the cluster. The account opens them with its node's cluster key,
/// journals them (<c>AccountSettingsChanged</c>) when they differ from what it has, and collects by them. Also wakes
/// the entity. Replies <see cref="AccountSettingsApplied"/>.
/// </summary>
/// <param name="Settings">Every key, the secrets sealed.</param>
/// <param name="Origin">Where the account is defined.</param>
/// <param name="OnlyIfAbsent">
/// Apply only when the account has no settings yet (a node's start wakes its accounts this way: it never overrides
/// what a later change applied); otherwise answers <see cref="SettingsChange.Unchanged"/>.
/// </param>
public sealed record ApplyAccountSettings(SealedAccountSettings Settings, AccountOrigin Origin, bool OnlyIfAbsent = false) : IAccountCommand
{
    /// <inheritdoc />
    public string AccountId => Settings.Id;
}

/// <summary>
/// The account is removed: it forgets its settings (journaled), collects no more wherever it is hosted, and leaves
/// the remembered entities. Its collection history stays. Replies <see cref="AccountSettingsApplied"/>.
/// </summary>
public sealed record RemoveAccountSettings(string AccountId) : IAccountCommand;

/// <summary>What applying or removing settings did to the account, for the operator's per-account report.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Change">What changed.</param>
/// <param name="ChangedKeys">With <see cref="SettingsChange.Changed"/>: the keys that differ (secrets named, never shown).</param>
/// <param name="Detail">Why it was refused, or empty.</param>
public sealed record AccountSettingsApplied(string AccountId, SettingsChange Change, IReadOnlyList<string> ChangedKeys, string Detail);

/// <summary>What an <see cref="ApplyAccountSettings"/> or <see cref="RemoveAccountSettings"/> did.</summary>
public enum SettingsChange
{
    /// <summary>The account had no settings and has them now.</summary>
    Added,

    /// <summary>Some keys changed (<see cref="AccountSettingsApplied.ChangedKeys"/>).</summary>
    Changed,

    /// <summary>The same settings as before: nothing journaled.</summary>
    Unchanged,

    /// <summary>The account forgot its settings and collects no more.</summary>
    Removed,

    /// <summary>Not applied: the hosting node cannot open the sealed secrets (its cluster key differs).</summary>
    Refused,
}
