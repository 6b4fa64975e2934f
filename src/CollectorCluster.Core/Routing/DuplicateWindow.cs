using System.Collections.Immutable;
using CollectorCluster.Core.Events;

namespace CollectorCluster.Core.Routing;

/// <summary>
/// One local recipient's memory of the copies it received, for duplicate suppression across sessions and accounts:
/// delivered copies by duplicate key, each until its expiry, and the claims of sessions delivering right now (so two
/// accounts collecting the same message at once deliver it once). Immutable and pure; the recipient's actor persists
/// deliveries and keeps the claims in memory.
/// </summary>
public sealed record DuplicateWindow
{
    /// <summary>How long a claim is honoured without being confirmed or released (longer than any delivery takes).</summary>
    public static readonly TimeSpan DefaultClaimTimeout = TimeSpan.FromMinutes(15);

    /// <summary>An empty window.</summary>
    public static readonly DuplicateWindow Empty = new();

    /// <summary>Delivered copies still remembered, by key.</summary>
    public ImmutableDictionary<string, CopyDelivered> Delivered { get; init; } = ImmutableDictionary.Create<string, CopyDelivered>(StringComparer.Ordinal);

    /// <summary>Claims held by sessions delivering now, by key.</summary>
    public ImmutableDictionary<string, CopyClaim> Claims { get; init; } = ImmutableDictionary.Create<string, CopyClaim>(StringComparer.Ordinal);

    /// <summary>What a session from <paramref name="source"/> that wants to deliver <paramref name="key"/> is told.</summary>
    public ClaimAnswer Decide(string key, string source, DateTimeOffset now, TimeSpan claimTimeout)
    {
        if (Delivered.TryGetValue(key, out var copy) && copy.ExpiresAt > now)
        {
            return copy.Source == source ? ClaimAnswer.AlreadyDelivered : ClaimAnswer.Duplicate;
        }

        if (Claims.TryGetValue(key, out var claim) && claim.Source != source && now - claim.At < claimTimeout)
        {
            return ClaimAnswer.Wait;
        }

        return ClaimAnswer.Granted;
    }

    /// <summary>Records a granted claim (replacing a stale one or the same source's earlier one).</summary>
    public DuplicateWindow Claim(string key, string source, DateTimeOffset now) => this with { Claims = Claims.SetItem(key, new CopyClaim(source, now)) };

    /// <summary>Drops <paramref name="source"/>'s claim on <paramref name="key"/> (its delivery failed); another source's claim stays.</summary>
    public DuplicateWindow Release(string key, string source) =>
        Claims.TryGetValue(key, out var claim) && claim.Source == source ? this with { Claims = Claims.Remove(key) } : this;

    /// <summary>A delivery: remembered until its expiry; the claim it carried out ends.</summary>
    public DuplicateWindow Apply(CopyDelivered delivered)
    {
        ArgumentNullException.ThrowIfNull(delivered);
        var claims = Claims.TryGetValue(delivered.Key, out var claim) && claim.Source == delivered.Source ? Claims.Remove(delivered.Key) : Claims;
        return this with { Delivered = Delivered.SetItem(delivered.Key, delivered), Claims = claims };
    }

    /// <summary>Forgets expired copies and stale claims, so the window stays bounded by the traffic of its duration.</summary>
    public DuplicateWindow Prune(DateTimeOffset now, TimeSpan claimTimeout)
    {
        var expired = Delivered.Values.Where(c => c.ExpiresAt <= now).Select(c => c.Key).ToList();
        var stale = Claims.Where(c => now - c.Value.At >= claimTimeout).Select(c => c.Key).ToList();
        return expired.Count == 0 && stale.Count == 0 ? this : this with { Delivered = Delivered.RemoveRange(expired), Claims = Claims.RemoveRange(stale) };
    }
}
