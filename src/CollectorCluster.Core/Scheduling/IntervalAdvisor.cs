namespace CollectorCluster.Core.Scheduling;

/// <summary>
/// The seed's advice on check intervals, as warnings: intervals that are multiples of one another (3m, 6m, 9m)
/// make schedules coincide, so prefer ones that are not (5m, 7m, 9m). Per-account phases already spread accounts
/// that share an interval; this catches the configuration pattern the seed warns about.
/// </summary>
public static class IntervalAdvisor
{
    /// <summary>How far (in whole units) the suggestion search moves the larger interval.</summary>
    private const int SuggestionSearch = 60;

    /// <summary>
    /// One warning per pair of distinct intervals in use where the larger is a whole multiple of the smaller,
    /// ordered by (smaller, larger) ascending. None for a single interval, for equal intervals, or for intervals
    /// that are not multiples of each other. Each warning suggests a replacement for the larger interval that is
    /// neither a multiple nor a divisor of any other interval in use, when one lies within an hour (or a minute) of it.
    /// </summary>
    /// <param name="accounts">Every account with its interval.</param>
    /// <exception cref="ArgumentNullException"><paramref name="accounts"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An interval is not positive (the message names the account).</exception>
    public static IReadOnlyList<string> Warnings(IEnumerable<(string AccountId, TimeSpan Interval)> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var counts = new SortedDictionary<long, int>();
        foreach (var (id, interval) in accounts)
        {
            if (interval <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(accounts), interval, $"Account {id} has a non-positive interval.");
            }

            counts[interval.Ticks] = counts.GetValueOrDefault(interval.Ticks) + 1;
        }

        var distinct = counts.Keys.ToArray();
        var warnings = new List<string>();
        for (var i = 0; i < distinct.Length; i++)
        {
            for (var j = i + 1; j < distinct.Length; j++)
            {
                long small = distinct[i], large = distinct[j];
                if (large % small != 0)
                {
                    continue;
                }

                var suggestion = Suggest(large, distinct) is long c
                    ? $"prefer intervals that are not, e.g. {Text(small)} and {Text(c)} rather than {Text(small)} and {Text(large)}"
                    : "prefer intervals that are not multiples of one another, e.g. 5m, 7m, 9m rather than 3m, 6m, 9m";
                warnings.Add(
                    $"Intervals {Text(small)} ({Accounts(counts[small])}) and {Text(large)} ({Accounts(counts[large])}) are multiples of each other: " +
                    $"their schedules coincide every {Text(large)}; {suggestion}.");
            }
        }

        return warnings;
    }

    /// <summary>The nearest whole-minute (else whole-second) replacement for <paramref name="large"/> unrelated to every other interval.</summary>
    private static long? Suggest(long large, long[] inUse)
    {
        foreach (var unit in new[] { TimeSpan.TicksPerMinute, TimeSpan.TicksPerSecond })
        {
            if (large % unit != 0 || large > long.MaxValue - (SuggestionSearch * unit))
            {
                continue;
            }

            for (var k = 1; k <= SuggestionSearch; k++)
            {
                foreach (var candidate in new[] { large + (k * unit), large - (k * unit) })
                {
                    if (candidate > 0 && Unrelated(candidate, large, inUse))
                    {
                        return candidate;
                    }
                }
            }
        }

        return null;
    }

    private static bool Unrelated(long candidate, long replaced, long[] inUse)
    {
        foreach (var other in inUse)
        {
            if (other != replaced && (candidate % other == 0 || other % candidate == 0))
            {
                return false;
            }
        }

        return true;
    }

    private static string Text(long ticks) => DurationText.Format(TimeSpan.FromTicks(ticks));

    private static string Accounts(int n) => n == 1 ? "1 account" : $"{n} accounts";
}
