using CollectorCluster.Core.Events;

namespace CollectorCluster.Core.Routing;

/// <summary>A multidrop account's routing over its life, as <c>collector show</c> prints it.</summary>
/// <param name="Messages">Messages routed (a session repeated after a crash does not count one again).</param>
/// <param name="Copies">Copies delivered to users.</param>
/// <param name="Duplicates">Copies suppressed because the user already had the message (from this or another account).</param>
/// <param name="ToDefault">Copies delivered to the default user.</param>
/// <param name="Refused">Local addresses refused (no such user, no default).</param>
public sealed record RoutingCounts(long Messages, long Copies, long Duplicates, long ToDefault, long Refused)
{
    /// <summary>Nothing routed yet.</summary>
    public static readonly RoutingCounts None = new(0, 0, 0, 0, 0);

    /// <summary>These counts plus one routed message.</summary>
    public RoutingCounts Add(MessageRouted routed)
    {
        ArgumentNullException.ThrowIfNull(routed);
        var delivered = routed.Copies.Count(c => c.Outcome == CopyOutcome.Delivered);
        var duplicates = routed.Copies.Count(c => c.Outcome == CopyOutcome.Duplicate);
        return new RoutingCounts(
            Messages + (delivered + duplicates > 0 ? 1 : 0),
            Copies + delivered,
            Duplicates + duplicates,
            ToDefault + routed.Copies.Count(c => c.Outcome == CopyOutcome.Delivered && c.Via == RouteVia.Default),
            Refused + (delivered + duplicates > 0 ? routed.Refused.Count : 0));
    }
}
