using CollectorCluster.Core.Events;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Actors.Persistence;

/// <summary>The persisted form of a recipient's <see cref="DuplicateWindow"/>: the copies it still remembers (claims are never persisted).</summary>
/// <param name="Delivered">The remembered copies, oldest first.</param>
public sealed record RecipientSnapshot(IReadOnlyList<CopyDelivered> Delivered)
{
    /// <summary>Captures a window.</summary>
    public static RecipientSnapshot From(DuplicateWindow window) =>
        new(window.Delivered.Values.OrderBy(c => c.At).ThenBy(c => c.Key, StringComparer.Ordinal).ToList());

    /// <summary>Rebuilds the window.</summary>
    public DuplicateWindow ToWindow() => Delivered.Aggregate(DuplicateWindow.Empty, (w, c) => w.Apply(c));
}
