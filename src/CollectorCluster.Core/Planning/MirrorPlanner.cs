using System.Globalization;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Planning;

/// <summary>
/// Mirror Mailbox: deletions propagate both ways. Pure; applied to a leave-on-server plan from
/// <see cref="CollectionPlanner"/>, before the session fetches anything.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description><b>Local → server</b>: a collected UIDL the server lists once (unambiguously) but the local mailbox no
/// longer holds (under the key it was stored as, <see cref="CollectedMessage.StoredKey"/>: a re-keyed message keeps its
/// old name) is DELE'd with <see cref="DeletionReason.MirroredLocalDeletion"/>, unless the plan already fetches or
/// deletes it.</description></item>
/// <item><description><b>Server → local</b>: a collected UIDL missing from the listing is not proof of deletion (Gmail
/// hides, servers glitch). It is only noted until <see cref="AbsenceRule"/> takes it as gone (two committed listings,
/// an hour apart); then its local copy goes after QUIT (<see cref="MirrorPlan.LocalRemovals"/>). A server whose EXPIRE
/// says it removes retrieved messages by itself explains the absence of those it may have expired: they are
/// forgotten, their local copies kept (<see cref="MirrorPlan.Forget"/>). A deletion the collector itself intended is
/// never an absence (<see cref="CollectionPlan.Confirmed"/>).</description></item>
/// <item><description><b>Guards</b>, per direction: a session mirrors only while the messages concerned stay below
/// <c>maxShare</c> × the collected messages; at or above it, none are done in that direction, a warning says the
/// operator is needed, and <see cref="MirrorPlan.NeedsOperator"/> is set. Server → local counts every collected message
/// missing from this listing (not only those gone by now): a server hiding half the mailbox across listings never
/// empties half the local one. A listing with no message at all never removes local copies either. Held-back
/// absentees stay noted, so nothing is forgotten.</description></item>
/// </list>
/// </remarks>
public static class MirrorPlanner
{
    /// <summary>Adds mirroring to <paramref name="plan"/>.</summary>
    /// <param name="plan">The session's plan (leave-on-server).</param>
    /// <param name="listing">The listing the plan came from.</param>
    /// <param name="state">The account's state as the session starts.</param>
    /// <param name="heldKeys">The stored keys (<see cref="CollectedMessage.StoredKey"/>) the local mailbox still holds.</param>
    /// <param name="maxShare">Share of the collected messages one session mirrors in either direction, in (0, 1]; at or above it nothing is mirrored.</param>
    /// <param name="expire">The server's EXPIRE as advertised this session, or null.</param>
    /// <param name="now">When the listing was taken.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxShare"/> is not in (0, 1].</exception>
    public static MirrorPlan Plan(
        CollectionPlan plan, IReadOnlyList<ListedMessage> listing, AccountState state, IReadOnlySet<string> heldKeys, double maxShare, string? expire, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(heldKeys);
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
            .Where(m => m.Uidl is not null && counts[m.Uidl] == 1 && state.Collected.TryGetValue(m.Uidl, out var c) && !heldKeys.Contains(c.StoredKey) && !planned.Contains(m.Uidl))
            .OrderBy(m => m.Number)
            .ToList();
        if (localDeletions.Count > 0 && localDeletions.Count >= allowed)
        {
            needsOperator = true;
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"Mirror: {localDeletions.Count} of {collectedCount} collected message(s) are gone from the local mailbox, which mirror-max-share {maxShare:0.###} does not allow: nothing deleted on the server; the operator must check the mailbox (or raise mirror-max-share)."));
            localDeletions.Clear();
        }

        // Server → local.
        var absence = AbsenceRule.Decide(state, plan.Absent, now);
        var expiresAfter = ExpireAdvice.RemovesRetrievedAfter(expire);
        bool ExpiredByServer(string uidl) => expiresAfter is { } after && now - state.Collected[uidl].CollectedAt >= after;
        var forget = absence.Gone.Where(ExpiredByServer).ToList();
        var removals = absence.Gone.Where(u => !ExpiredByServer(u)).ToList();
        var unexplained = plan.Absent.Count(u => !ExpiredByServer(u));
        var noted = absence.Noted.ToList();
        if (removals.Count > 0 && listing.Count == 0)
        {
            needsOperator = true;
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"Mirror: the server listed no message at all, which would remove {removals.Count} local message(s): nothing removed locally; the operator must check the server."));
            noted.AddRange(removals);
            removals.Clear();
        }
        else if (removals.Count > 0 && unexplained >= allowed)
        {
            needsOperator = true;
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"Mirror: {unexplained} of {collectedCount} collected message(s) are missing from the server, which mirror-max-share {maxShare:0.###} does not allow (a server that hides messages looks the same): nothing removed locally; the operator must check the server (or raise mirror-max-share)."));
            noted.AddRange(removals);
            removals.Clear();
        }

        if (forget.Count > 0)
        {
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"Mirror: {forget.Count} message(s) missing from the server are kept locally: the server's EXPIRE {expire} says it removes retrieved messages by itself."));
        }

        noted.Sort(StringComparer.Ordinal);
        var delete = plan.Delete.Concat(localDeletions.Select(m => new PlannedDeletion(m, DeletionReason.MirroredLocalDeletion)))
            .OrderBy(d => d.Message.Number)
            .ToList();

        return new MirrorPlan(
            plan with { Delete = delete, Warnings = warnings },
            localDeletions.Select(m => m.Uidl!).ToList(),
            noted,
            plan.Reappeared,
            removals,
            forget,
            needsOperator);
    }
}
