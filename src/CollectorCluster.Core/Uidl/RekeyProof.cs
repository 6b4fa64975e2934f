using CollectorCluster.Core.Events;
using CollectorCluster.Core.Planning;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Uidl;

/// <summary>
/// Proof before deletion for re-keyed messages. A re-key pairs messages by their headers (<see cref="UidlMigration.Match"/>):
/// enough not to download and deliver them again, not enough to delete one on the server. Before a re-keyed message is
/// deleted (leave-mail-on-server off, expiry, a mirrored local deletion) it is downloaded again, not delivered, and the
/// SHA-256 of its content is compared with the one recorded when it was delivered
/// (<see cref="MessageCollected.Digest"/>): equal, it is the delivered message (certain up to a SHA-256 collision) and
/// is deleted; different, it is another message, kept on the server and collected as new. A message collected before
/// digests were recorded cannot be proved: it stays on the server, with a warning naming the way out. An operator's
/// Delete mark is the operator's own decision about the listed message and needs no proof. Pure.
/// </summary>
public static class RekeyProof
{
    /// <summary>
    /// The planned deletions of re-keyed messages not yet proved: those to download (a digest was recorded) and those
    /// that cannot be proved (none was).
    /// </summary>
    public static (IReadOnlyList<PlannedDeletion> Download, IReadOnlyList<PlannedDeletion> Unprovable) Needed(CollectionPlan plan, AccountState state)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(state);
        var download = new List<PlannedDeletion>();
        var unprovable = new List<PlannedDeletion>();
        foreach (var deletion in plan.Delete)
        {
            if (deletion.Reason == DeletionReason.OperatorMark
                || deletion.Message.Uidl is not { } uidl
                || !state.Collected.TryGetValue(uidl, out var collected)
                || !collected.Rekeyed)
            {
                continue;
            }

            (collected.Digest is null ? unprovable : download).Add(deletion);
        }

        return (download, unprovable);
    }

    /// <summary>The verdict on re-keyed messages downloaded again, by their content's digest; null when none was.</summary>
    /// <param name="state">The account's state (the digests recorded at delivery).</param>
    /// <param name="downloaded">Each downloaded message's UIDL and the digest of what the server sent.</param>
    /// <param name="at">When they were compared.</param>
    public static RekeysVerified? Judge(AccountState state, IReadOnlyList<(string Uidl, string Digest)> downloaded, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(downloaded);
        if (downloaded.Count == 0)
        {
            return null;
        }

        var same = downloaded.ToLookup(d => state.Collected.TryGetValue(d.Uidl, out var c) && c.Digest is not null && string.Equals(c.Digest, d.Digest, StringComparison.Ordinal));
        return new RekeysVerified(same[true].Select(d => d.Uidl).ToList(), same[false].Select(d => d.Uidl).ToList(), at);
    }

    /// <summary>
    /// The plan without the deletions that were not proved (refuted or unprovable), and a warning for each: the
    /// messages stay on the server.
    /// </summary>
    public static CollectionPlan Withhold(CollectionPlan plan, IReadOnlyList<PlannedDeletion> unprovable, RekeysVerified? verdict, string accountId)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(unprovable);
        var refuted = verdict?.Refuted ?? [];
        if (unprovable.Count == 0 && refuted.Count == 0)
        {
            return plan;
        }

        var withheld = unprovable.Select(d => d.Message.Uidl!).Concat(refuted).ToHashSet(StringComparer.Ordinal);
        var warnings = new List<string>(plan.Warnings);
        warnings.AddRange(unprovable.Select(d =>
            $"UIDL \"{d.Message.Uidl}\" was re-keyed by its headers and collected before content digests were recorded, so nothing proves it is the message delivered: it is not deleted on the server (`collector mark {accountId} {d.Message.Uidl} delete --yes` deletes it)."));
        warnings.AddRange(refuted.Select(uidl =>
            $"UIDL \"{uidl}\" matched a collected message by its headers, but its content differs: it is another message, not deleted, and collected as new next session."));
        return plan with { Delete = plan.Delete.Where(d => d.Message.Uidl is not { } u || !withheld.Contains(u)).ToList(), Warnings = warnings };
    }
}
