using System.Globalization;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Planning;

/// <summary>
/// Applies an account's <c>max-message-size</c> to a plan from <see cref="CollectionPlanner"/>. Kept apart from the
/// planner so the size rule is one small pure step, tested on its own. Pure and deterministic.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><description>A fetched message whose listed size is greater than <see cref="SizeLimit.MaxBytes"/> is oversize;
/// a limit of 0 or less is no limit and the plan is returned as it is.</description></item>
/// <item><description><see cref="OversizeHandling.Skip"/>: it leaves <see cref="CollectionPlan.Fetch"/> (so it is not
/// deleted after fetch either; it stays on the server). <see cref="OversizeHandling.Postpone"/>: it moves to the end of
/// <see cref="CollectionPlan.Fetch"/>, oversize messages keeping their relative order.</description></item>
/// <item><description>A UIDL the operator marked <see cref="MessageMark.Download"/> is never oversize: the mark is the
/// operator's explicit override.</description></item>
/// <item><description>Nothing is dropped silently: every oversize message is returned, and a warning names its UIDL (or,
/// without one, its message number) and its size, up to <see cref="MaxNamedInWarnings"/> messages, then one warning
/// counting the rest.</description></item>
/// </list>
/// </remarks>
public static class SizeLimitPlanner
{
    /// <summary>At most this many oversize messages get a warning of their own.</summary>
    public const int MaxNamedInWarnings = 20;

    /// <summary>Applies <paramref name="limit"/> to <paramref name="plan"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static SizeLimitedPlan Apply(CollectionPlan plan, AccountState state, SizeLimit limit)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(limit);
        if (limit.MaxBytes <= 0)
        {
            return new SizeLimitedPlan(plan, []);
        }

        var within = new List<ListedMessage>(plan.Fetch.Count);
        var oversize = new List<OversizeMessage>();
        foreach (var m in plan.Fetch)
        {
            var overridden = m.Uidl is not null && state.Marks.TryGetValue(m.Uidl, out var mark) && mark == MessageMark.Download;
            if (m.Size > limit.MaxBytes && !overridden)
            {
                oversize.Add(new OversizeMessage(m, limit.Handling));
            }
            else
            {
                within.Add(m);
            }
        }

        if (oversize.Count == 0)
        {
            return new SizeLimitedPlan(plan, []);
        }

        var fetch = limit.Handling == OversizeHandling.Postpone ? [.. within, .. oversize.Select(o => o.Message)] : within;
        var warnings = new List<string>(plan.Warnings);
        foreach (var o in oversize.Take(MaxNamedInWarnings))
        {
            warnings.Add(Describe(o, limit.MaxBytes));
        }

        if (oversize.Count > MaxNamedInWarnings)
        {
            warnings.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"and {oversize.Count - MaxNamedInWarnings} more message(s) over max-message-size {limit.MaxBytes} bytes {(limit.Handling == OversizeHandling.Skip ? "skipped" : "fetched last")}."));
        }

        return new SizeLimitedPlan(plan with { Fetch = fetch, Warnings = warnings }, oversize);
    }

    private static string Describe(OversizeMessage o, long max)
    {
        var which = o.Message.Uidl is null
            ? string.Create(CultureInfo.InvariantCulture, $"Message {o.Message.Number} (no UIDL)")
            : string.Create(CultureInfo.InvariantCulture, $"UIDL \"{o.Message.Uidl}\" (message {o.Message.Number})");
        var what = o.Handling == OversizeHandling.Skip
            ? "skipped and left on the server (mark it for download to collect it)"
            : "fetched last";
        return string.Create(CultureInfo.InvariantCulture, $"{which} is {o.Message.Size} bytes, over max-message-size {max} bytes: {what}.");
    }
}
