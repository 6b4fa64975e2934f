using CollectorCluster.Core.Scheduling;

namespace CollectorCluster.Core.Tests.Scheduling;

/// <summary>Fixed-seed randomized properties of the schedule: spread, bounds, monotonicity and the rate limit over many runs.</summary>
public class CollectionSchedulePropertyTests
{
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset Base = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static string AccountId(int i) => "account-" + i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(0L)]
    [InlineData(17L)]
    [InlineData(123_456_789L)]
    public void A_thousand_first_runs_spread_evenly_over_five_minutes(long nowOffsetTicks)
    {
        var now = Base.AddTicks(nowOffsetTicks);
        var buckets = new int[10];
        for (var i = 0; i < 1000; i++)
        {
            var due = CollectionSchedule.NextDue(AccountId(i), FiveMinutes, now, null, 0, 0);
            Assert.InRange(due, now, now + FiveMinutes - TimeSpan.FromTicks(1));
            buckets[(int)((due - now).Ticks / TimeSpan.FromSeconds(30).Ticks)]++;
        }

        Assert.All(buckets, b => Assert.InRange(b, 60, 140));
    }

    [Fact]
    public void Phases_spread_evenly_for_other_intervals_and_id_shapes()
    {
        foreach (var interval in new[] { TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(7), TimeSpan.FromHours(1) })
        {
            var buckets = new int[10];
            for (var i = 0; i < 1000; i++)
            {
                var id = $"user{i}@pop.example.com";
                buckets[(int)(CollectionSchedule.Phase(id, interval).Ticks * 10 / interval.Ticks)]++;
            }

            Assert.All(buckets, b => Assert.InRange(b, 60, 140));
        }
    }

    [Fact]
    public void Bounds_and_monotonicity_hold_for_random_inputs()
    {
        var rng = new Random(20250601);
        for (var i = 0; i < 3000; i++)
        {
            var id = AccountId(rng.Next(500));
            var interval = TimeSpan.FromTicks(rng.Next(4) switch
            {
                0 => rng.NextInt64(1, 100),
                1 => rng.NextInt64(TimeSpan.TicksPerSecond, TimeSpan.TicksPerMinute),
                _ => rng.NextInt64(TimeSpan.TicksPerMinute, TimeSpan.TicksPerDay),
            });
            var now = Base.AddTicks(rng.NextInt64(-TimeSpan.TicksPerDay, TimeSpan.TicksPerDay));
            DateTimeOffset? last = rng.Next(4) == 0 ? null : now.AddTicks((long)((rng.NextDouble() * 3 - 2.5) * interval.Ticks));
            var fraction = rng.Next(3) == 0 ? 0 : rng.NextDouble() * 0.5;
            var sample = rng.NextDouble();
            var allowance = (long)Math.Floor(fraction * interval.Ticks);

            var due = CollectionSchedule.NextDue(id, interval, now, last, fraction, sample);

            Assert.True(due >= now);
            var earliest = now;
            if (last is DateTimeOffset l)
            {
                Assert.True(due > l);
                Assert.True(due >= l + interval - TimeSpan.FromTicks(allowance));
                var halfAfter = l.AddTicks((interval.Ticks - allowance + 1) / 2);
                earliest = halfAfter > now ? halfAfter : now;
            }

            Assert.True(due < earliest + interval + TimeSpan.FromTicks(allowance), $"case {i}");

            // On the grid plus jitter, unless the rate floor decided.
            var jitter = Math.Min((long)Math.Floor(sample * fraction * interval.Ticks), allowance);
            var onGrid = Mod((due - DateTimeOffset.UnixEpoch).Ticks - jitter - CollectionSchedule.Phase(id, interval).Ticks, interval.Ticks) == 0;
            var onFloor = last is DateTimeOffset f && due == f + interval - TimeSpan.FromTicks(allowance);
            Assert.True(onGrid || onFloor, $"case {i}");

            // Non-decreasing in now and in lastStarted.
            var later = TimeSpan.FromTicks(rng.NextInt64(0, interval.Ticks * 2));
            Assert.True(CollectionSchedule.NextDue(id, interval, now + later, last, fraction, sample) >= due);
            if (last is DateTimeOffset l3)
            {
                Assert.True(CollectionSchedule.NextDue(id, interval, now, l3 + later, fraction, sample) >= due);
            }
        }
    }

    [Theory]
    [InlineData(0.0, 0.0)]      // no jitter, punctual
    [InlineData(0.1, 0.0)]      // jitter, punctual
    [InlineData(0.1, 0.1)]      // lateness within the allowance
    [InlineData(0.1, 0.6)]      // lateness far beyond it (token queue waits)
    [InlineData(0.0, 0.01)]     // no jitter, a little latency
    [InlineData(0.5, 0.3)]      // jitter plus lateness can pass (interval + allowance) / 2: some slots skipped
    [InlineData(0.5, 0.2)]
    public void Simulated_runs_respect_the_rate_limit_and_keep_the_interval_on_average(double fraction, double maxLateness)
    {
        var rng = new Random(7);
        for (var a = 0; a < 50; a++)
        {
            var id = AccountId(a);
            var allowance = TimeSpan.FromTicks((long)Math.Floor(fraction * FiveMinutes.Ticks));
            var now = Base.AddTicks(rng.NextInt64(FiveMinutes.Ticks));
            DateTimeOffset? last = null;
            DateTimeOffset first = default;
            const int runs = 400;
            for (var r = 0; r < runs; r++)
            {
                var due = CollectionSchedule.NextDue(id, FiveMinutes, now, last, fraction, rng.NextDouble());
                var start = due.AddTicks((long)(rng.NextDouble() * maxLateness * FiveMinutes.Ticks));
                if (last is DateTimeOffset l)
                {
                    Assert.True(start - l >= FiveMinutes - allowance, $"gap {start - l} after run {r}");
                }
                else
                {
                    first = start;
                }

                last = start;
                now = start + TimeSpan.FromSeconds(rng.Next(0, 60)); // the session runs, then the next due time is computed
            }

            var meanGap = (last!.Value - first) / (runs - 1);
            // Tight when every start stays within (interval + allowance) / 2 of its slot; looser when long waits skip slots.
            var slack = fraction + maxLateness <= (1 + fraction) / 2 ? 0.02 : 0.6;
            Assert.InRange(meanGap.TotalMinutes, 5 * (1 - 0.02), 5 * (1 + slack));
        }
    }

    [Fact]
    public void Early_starts_do_not_raise_the_rate()
    {
        // Starts a little before due (clock skew between nodes) must still average one interval, not interval − allowance.
        var rng = new Random(11);
        DateTimeOffset? last = null;
        var now = Base;
        var starts = new List<DateTimeOffset>();
        for (var r = 0; r < 300; r++)
        {
            var due = CollectionSchedule.NextDue("skewed", FiveMinutes, now, last, 0.1, rng.NextDouble());
            var start = due - TimeSpan.FromSeconds(rng.Next(0, 20));
            starts.Add(start);
            last = start;
            now = start;
        }

        var mean = (starts[^1] - starts[0]) / (starts.Count - 1);
        Assert.InRange(mean.TotalMinutes, 4.95, 5.05);
    }

    [Fact]
    public void Restarting_the_whole_fleet_at_once_does_not_start_everything_together()
    {
        var dues = Enumerable.Range(0, 1000).Select(i => CollectionSchedule.NextDue(AccountId(i), FiveMinutes, Base, null, 0.1, 0.5)).ToArray();
        var perSecond = dues.GroupBy(d => d.UtcTicks / TimeSpan.TicksPerSecond).Max(g => g.Count());
        Assert.True(perSecond <= 20, $"{perSecond} accounts due in the same second");
    }

    private static long Mod(long a, long m) => ((a % m) + m) % m;
}
