using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Planning;

/// <summary>
/// When a collected message missing from the server's listing is taken as gone: only once at least
/// <see cref="MinimumListings"/> committed listings in a row lacked it, the first at least <see cref="MinimumSpan"/>
/// before this one. A glitching or hiding server (an empty listing, Gmail's windows) passes one listing, or several
/// within minutes (commit-every chunks, a quick retry), without anything being forgotten or mirrored. The same rule
/// prunes UIDLs (<see cref="Events.MessagesVanished"/>) and lets Mirror Mailbox remove local copies. Pure.
/// </summary>
public static class AbsenceRule
{
    /// <summary>Committed listings without a message, this one included, before it counts as gone.</summary>
    public const int MinimumListings = 2;

    /// <summary>How long before this listing the first listing without it must have been.</summary>
    public static readonly TimeSpan MinimumSpan = TimeSpan.FromHours(1);

    /// <summary>Splits this listing's absentees into gone and noted.</summary>
    /// <param name="state">The account's state before this listing is noted.</param>
    /// <param name="absent">Collected UIDLs this listing lacks (<see cref="CollectionPlan.Absent"/>).</param>
    /// <param name="now">When the listing was taken.</param>
    public static AbsenceDecision Decide(AccountState state, IReadOnlyList<string> absent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(absent);
        var gone = new List<string>();
        var noted = new List<string>();
        foreach (var uidl in absent)
        {
            var isGone = state.Absent.TryGetValue(uidl, out var record)
                && record.Listings + 1 >= MinimumListings
                && now - record.Since >= MinimumSpan;
            (isGone ? gone : noted).Add(uidl);
        }

        return new AbsenceDecision(gone, noted);
    }
}
