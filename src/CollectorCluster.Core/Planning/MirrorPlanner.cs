using System.Globalization;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Planning;

/// <summary>
/// Mirror Mailbox: deletions propagate both ways. Pure; applied to a leave-on-server plan from
/// <see cref="CollectionPlanner"/>, before the session fetches anything.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description><b>Local → server</b>: a collected UIDL the server lists once (unambiguously) but the local mailbox no
/// longer holds is DELE'd with <see cref="DeletionReason.MirroredLocalDeletion"/>, unless the plan already fetches or
/// deletes it.</description></item>
/// <item><description><b>Server → local</b>: a collected UIDL missing from the listing is not proof of deletion (Gmail
/// hides, servers glitch). The first committed listing without it only notes it (<see cref="MirrorPlan.FirstAbsent"/>; it
/// stays in state instead of vanishing); the local copy goes only when a second committed listing lacks it too
/// (<see cref="MirrorPlan.LocalRemovals"/>, carried out after QUIT). A noted UIDL listed again is forgotten
/// (<see cref="MirrorPlan.Reappeared"/>).</description></item>
/// <item><description><b>Guards</b>, per direction: when the deletions would exceed <c>maxShare</c> × the collected
/// messages, none are done in that direction, a warning says the operator is needed, and
/// <see cref="MirrorPlan.NeedsOperator"/> is set; held-back local removals stay in state (not vanished) so nothing is
/// forgotten. A listing with no message at all never removes local copies, whatever the share.</description></item>
/// </list>
/// </remarks>
public static class MirrorPlanner
{
    /// <summary>Adds mirroring to <paramref name="plan"/>.</summary>
    /// <param name="plan">The session's plan (leave-on-server).</param>
    /// <param name="listing">The listing the plan came from.</param>
    /// <param name="state">The account's state as the session starts.</param>
    /// <param name="heldLocally">The collected UIDLs the local mailbox still holds.</param>
    /// <param name="maxShare">Largest share of the collected messages one session may delete in either direction, in (0, 1].</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxShare"/> is not in (0, 1].</exception>
    public static MirrorPlan Plan(CollectionPlan plan, IReadOnlyList<ListedMessage> listing, AccountState state, IReadOnlySet<string> heldLocally, double maxShare)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(heldLocally);
        if (!(maxShare > 0 && maxShare <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(maxShare), maxShare, "The mirror share must be in (0, 1].");
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var m in listing.Where(m => !string.IsNullOrEmpty(m.Uidl)))
        {
            counts[m.Uidl!] = counts.GetValueOrDefault(m.Uidl!) + 1;
        }

        var planned = new HashSet<string>(plan.Fetch.Where(m => m.Uidl is not null).Select(m => m.Uidl!), StringComparer.Ordinal);
        planned.UnionWith(plan.Delete.Select(d => d.Message.Uidl!));

        var collectedCount = state.Collected.Count;
        var allowed = maxShare * collectedCount;
        var warnings = new List<string>(plan.Warnings);
        var needsOperator = false;

        // Local → server.
        var localDeletions = listing
            .Where(m => m.Uidl is not null && counts[m.Uidl] == 1 && state.Collected.ContainsKey(m.Uidl) && !heldLocally.Contains(m.Uidl) && !planned.Contains(m.Uidl))
            .OrderBy(m => m.Number)
            .ToList();
        if (localDeletions.Count > allowed)
        {
            needsOperator = true;
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"Mirror: {localDeletions.Count} of {collectedCount} collected message(s) are gone from the local mailbox, more than mirror-max-share {maxShare:0.###} allows: nothing deleted on the server; the operator must check the mailbox (or raise mirror-max-share)."));
            localDeletions.Clear();
        }

        // Server → local.
        var vanishedCollected = plan.Vanished.Where(state.Collected.ContainsKey).ToList();
        var firstAbsent = vanishedCollected.Where(u => !state.MirrorAbsent.Contains(u)).ToList();
        var removals = vanishedCollected.Where(state.MirrorAbsent.Contains).ToList();
        var reappeared = state.MirrorAbsent.Where(counts.ContainsKey).Order(StringComparer.Ordinal).ToList();
        var heldBack = new List<string>();
        if (removals.Count > 0 && listing.Count == 0)
        {
            needsOperator = true;
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"Mirror: the server listed no message at all, which would remove {removals.Count} local message(s): nothing removed locally; the operator must check the server."));
            heldBack.AddRange(removals);
            removals.Clear();
        }
        else if (removals.Count > allowed)
        {
            needsOperator = true;
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"Mirror: {removals.Count} of {collectedCount} collected message(s) are gone from the server, more than mirror-max-share {maxShare:0.###} allows: nothing removed locally; the operator must check the server (or raise mirror-max-share)."));
            heldBack.AddRange(removals);
            removals.Clear();
        }

        var keep = new HashSet<string>(firstAbsent, StringComparer.Ordinal);
        keep.UnionWith(removals); // pruned by LocalCopiesRemoved once the copies are gone, not before
        keep.UnionWith(heldBack);
        var delete = plan.Delete.Concat(localDeletions.Select(m => new PlannedDeletion(m, DeletionReason.MirroredLocalDeletion)))
            .OrderBy(d => d.Message.Number)
            .ToList();

        return new MirrorPlan(
            plan with { Delete = delete, Vanished = plan.Vanished.Where(u => !keep.Contains(u)).ToList(), Warnings = warnings },
            localDeletions.Select(m => m.Uidl!).ToList(),
            firstAbsent,
            reappeared,
            removals,
            needsOperator);
    }
}
