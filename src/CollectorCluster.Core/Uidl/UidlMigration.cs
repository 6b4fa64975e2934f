using CollectorCluster.Core.Planning;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Uidl;

/// <summary>
/// Detects a provider migration that changed most UIDLs at once (the mailbox is the same, only the names moved),
/// and re-keys by header fingerprint instead of collecting the whole mailbox again. Pure.
/// </summary>
/// <remarks>
/// Any mailbox can be judged, one collected message as well as thousands: suspicion only costs a TOP per suspect, and
/// a pair needs more than the shape of the listing (<see cref="Match"/>: the same Message-ID, Date and From, unique on
/// both sides, and the same size). A re-key is still a match by headers, not proof: the message is not deleted on the
/// server before <see cref="RekeyProof"/> has compared its content with what was delivered.
/// </remarks>
public static class UidlMigration
{
    /// <summary>
    /// Without TOP, at most this many suspects are downloaded (not delivered) to read their headers; more would mean
    /// downloading the mailbox again, so the run refuses instead (<see cref="WithoutTop"/>).
    /// </summary>
    public const int MaxConfirmedByDownload = 5;

    /// <summary>At least this share of the collected UIDLs must be missing from the listing.</summary>
    public const double MissingShare = 0.5;

    /// <summary>At least this share of the missing messages must have a new listed message of the same size.</summary>
    public const double SizeMatchShare = 0.8;

    /// <summary>
    /// The listed messages worth a TOP to confirm a migration (new UIDLs whose size matches a missing one), or an
    /// empty list when the listing does not look like a migration: nothing collected, few missing, or sizes that differ.
    /// </summary>
    public static IReadOnlyList<ListedMessage> Suspects(AccountState state, IReadOnlyList<ListedMessage> listing)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(listing);
        if (state.Collected.IsEmpty || listing.Any(m => m.Uidl is null))
        {
            return [];
        }

        var listed = listing.Select(m => m.Uidl!).ToHashSet(StringComparer.Ordinal);
        var missing = state.Collected.Values.Where(m => !listed.Contains(m.Uidl)).ToList();
        if (missing.Count < state.Collected.Count * MissingShare)
        {
            return [];
        }

        var fresh = listing.Where(m => !state.Collected.ContainsKey(m.Uidl!)).ToList();
        var missingSizes = missing.GroupBy(m => m.Size).ToDictionary(g => g.Key, g => g.Count());
        var matched = 0;
        var suspects = new List<ListedMessage>();
        var remaining = new Dictionary<long, int>(missingSizes);
        foreach (var message in fresh)
        {
            if (remaining.TryGetValue(message.Size, out var left) && left > 0)
            {
                remaining[message.Size] = left - 1;
                matched++;
            }

            if (missingSizes.ContainsKey(message.Size))
            {
                suspects.Add(message);
            }
        }

        return matched >= missing.Count * SizeMatchShare ? suspects : [];
    }

    /// <summary>
    /// Why a session that sees a migration-shaped listing on a server without TOP collects nothing: confirming the
    /// migration would mean downloading every suspect again, and not confirming it would deliver the mailbox twice.
    /// </summary>
    /// <param name="suspects">Listed messages that look like renamed collected ones.</param>
    /// <param name="state">The account's state.</param>
    public static string WithoutTop(IReadOnlyList<ListedMessage> suspects, AccountState state)
    {
        ArgumentNullException.ThrowIfNull(suspects);
        ArgumentNullException.ThrowIfNull(state);
        return $"the server changed the UIDLs of most collected messages ({suspects.Count} new UIDL(s) of the same sizes as {state.Collected.Count} collected message(s); a provider migration?) and offers no TOP to confirm them by their headers (up to {MaxConfirmedByDownload} are downloaded instead): nothing was collected, so the mailbox is not downloaded and delivered again; `collector resume` once the server offers TOP, or `collector reset` to collect everything again (the destination then holds those messages twice)";
    }

    /// <summary>
    /// Pairs missing collected messages with suspects by fingerprint and size. Only unambiguous pairs count: a
    /// fingerprint shared by two old or two new messages is left alone (it is then collected again, never lost), and a
    /// message without a Message-ID has no fingerprint (<see cref="HeaderFingerprint"/>). Two distinct messages would
    /// have to carry the same Message-ID, Date and From and be of the same size to be paired.
    /// </summary>
    public static IReadOnlyList<UidlRekey> Match(AccountState state, IReadOnlyList<(ListedMessage Message, string? Fingerprint)> suspects)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(suspects);
        var listed = suspects.Select(s => s.Message.Uidl).ToHashSet(StringComparer.Ordinal);
        var old = state.Collected.Values
            .Where(m => m.Fingerprint is not null && !listed.Contains(m.Uidl))
            .GroupBy(m => m.Fingerprint!, StringComparer.Ordinal)
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => g.Single(), StringComparer.Ordinal);
        var fresh = suspects
            .Where(s => s.Fingerprint is not null && s.Message.Uidl is not null)
            .GroupBy(s => s.Fingerprint!, StringComparer.Ordinal)
            .Where(g => g.Count() == 1)
            .Select(g => g.Single());
        return fresh
            .Where(s => old.TryGetValue(s.Fingerprint!, out var o) && o.Size == s.Message.Size && !state.Collected.ContainsKey(s.Message.Uidl!))
            .Select(s => new UidlRekey(old[s.Fingerprint!].Uidl, s.Message.Uidl!))
            .ToList();
    }
}
