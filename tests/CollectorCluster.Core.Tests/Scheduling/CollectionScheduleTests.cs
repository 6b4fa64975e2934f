using CollectorCluster.Core.Scheduling;

namespace CollectorCluster.Core.Tests.Scheduling;

/// <summary>Table-driven checks of phase, next-due and back-off arithmetic.</summary>
public class CollectionScheduleTests
{
    private const string Id = "acct-1";
    private static readonly TimeSpan FiveMinutes = TimeSpan.FromMinutes(5);
    private static readonly DateTimeOffset Base = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A grid slot of <see cref="Id"/> at or after <see cref="Base"/>, for 5-minute intervals.</summary>
    private static DateTimeOffset Slot()
    {
        var phase = CollectionSchedule.Phase(Id, FiveMinutes);
        var since = (Base - DateTimeOffset.UnixEpoch).Ticks;
        var k = (since - phase.Ticks + FiveMinutes.Ticks - 1) / FiveMinutes.Ticks;
        return DateTimeOffset.UnixEpoch + phase + (FiveMinutes * k);
    }

    // ---- Phase ----

    [Theory]
    [InlineData("acct-1", 2182188915L)] // floor(first 8 bytes of SHA-256(UTF-8 id), big-endian, × 5 min ticks / 2^64), computed independently
    [InlineData("fred.bloggs@pop.example.com", 1074058509L)]
    public void Phase_is_pinned_across_processes_and_platforms(string id, long ticks) =>
        Assert.Equal(TimeSpan.FromTicks(ticks), CollectionSchedule.Phase(id, FiveMinutes));

    [Theory]
    [InlineData(1L)]
    [InlineData(2L)]
    [InlineData(TimeSpan.TicksPerSecond)]
    [InlineData(TimeSpan.TicksPerDay * 365)]
    [InlineData(long.MaxValue)]
    public void Phase_lies_in_the_interval(long intervalTicks)
    {
        foreach (var id in new[] { "a", "b", "acct-1", "ü-ñ", new string('x', 1000) })
        {
            var p = CollectionSchedule.Phase(id, TimeSpan.FromTicks(intervalTicks));
            Assert.InRange(p.Ticks, 0, intervalTicks - 1);
        }
    }

    [Fact]
    public void Phase_differs_by_id_and_scales_with_interval()
    {
        Assert.NotEqual(CollectionSchedule.Phase("a", FiveMinutes), CollectionSchedule.Phase("b", FiveMinutes));
        var p5 = CollectionSchedule.Phase(Id, FiveMinutes).Ticks;
        var p10 = CollectionSchedule.Phase(Id, FiveMinutes * 2).Ticks;
        Assert.InRange(p10 - (2 * p5), 0, 1); // the same fraction of the interval
    }

    [Fact]
    public void Phase_rejects_bad_arguments()
    {
        Assert.Throws<ArgumentNullException>("accountId", () => CollectionSchedule.Phase(null!, FiveMinutes));
        Assert.Throws<ArgumentException>("accountId", () => CollectionSchedule.Phase("", FiveMinutes));
        Assert.Throws<ArgumentOutOfRangeException>("interval", () => CollectionSchedule.Phase(Id, TimeSpan.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("interval", () => CollectionSchedule.Phase(Id, -FiveMinutes));
    }

    // ---- NextDue ----

    public static TheoryData<string, long, long?, double, double, long> NextDueCases => new()
    {
        // name, now (ticks from slot S), lastStarted (ticks from S, or null), jitterFraction, jitterSample, expected (ticks from S)
        { "first run on the slot is due now", 0, null, 0, 0, 0 },
        { "first run just after a slot waits for the next", 1, null, 0, 0, FiveMinutes.Ticks },
        { "first run just before a slot", -1, null, 0, 0, 0 },
        { "first run a whole interval before", -FiveMinutes.Ticks, null, 0, 0, -FiveMinutes.Ticks },
        { "first run adds jitter", 0, null, 0.2, 0.5, FiveMinutes.Ticks / 10 },
        { "jitter sample 0 adds nothing", 0, null, 0.5, 0, 0 },
        { "started on the slot: next slot", 0, 0, 0, 0, FiveMinutes.Ticks },
        { "asked at the due time before starting: due now", 0, -FiveMinutes.Ticks, 0.1, 0, 0 },
        { "timer fired late by 5 ms with no jitter: the rate floor carries the lateness", 50_000, 50_000, 0, 0, FiveMinutes.Ticks + 50_000 },
        { "timer fired late by 5 ms with 5% jitter allowance: next slot", 50_000, 50_000, 0.05, 0, FiveMinutes.Ticks },
        { "started 1 tick early: next slot, not the slot it ran for", -1, -1, 0, 0, FiveMinutes.Ticks },
        { "started 1 tick early with jitter: next slot", -1, -1, 0.1, 0, FiveMinutes.Ticks },
        { "started 30 s early (clock skew) still counts for its slot", -FiveMinutes.Ticks / 10, -FiveMinutes.Ticks / 10, 0.1, 0, FiveMinutes.Ticks },
        { "delay within the allowance keeps the grid", FiveMinutes.Ticks / 20, FiveMinutes.Ticks / 20, 0.1, 0, FiveMinutes.Ticks },
        { "delay beyond the allowance: rate floor", FiveMinutes.Ticks / 2, FiveMinutes.Ticks / 2, 0.1, 0, FiveMinutes.Ticks * 14 / 10 },
        { "delay beyond the allowance with no jitter", FiveMinutes.Ticks / 2, FiveMinutes.Ticks / 2, 0, 0.9, FiveMinutes.Ticks * 15 / 10 },
        { "jitter wins over the floor when later", FiveMinutes.Ticks / 2, FiveMinutes.Ticks / 2, 0.5, 0.5, FiveMinutes.Ticks * 5 / 4 },
        { "lateness past half an interval snaps back to the grid", FiveMinutes.Ticks * 6 / 10, FiveMinutes.Ticks * 6 / 10, 0, 0, FiveMinutes.Ticks * 2 },
        { "asked later, after the run: next slot", FiveMinutes.Ticks / 3, 0, 0, 0, FiveMinutes.Ticks },
        { "offline for a long time: first slot at or after now", FiveMinutes.Ticks * 100 + 7, 0, 0, 0, FiveMinutes.Ticks * 101 },
        { "offline, now on a slot: due now", FiveMinutes.Ticks * 100, 0, 0, 0, FiveMinutes.Ticks * 100 },
        { "offline, now on a slot, with jitter", FiveMinutes.Ticks * 100, 0, 0.2, 0.5, FiveMinutes.Ticks * 1001 / 10 },
        { "lastStarted in the future (other node's clock): after it", 0, FiveMinutes.Ticks * 3, 0, 0, FiveMinutes.Ticks * 4 },
    };

    [Theory]
    [MemberData(nameof(NextDueCases))]
    public void NextDue_follows_the_documented_rule(string name, long now, long? last, double fraction, double sample, long expected)
    {
        var s = Slot();
        var due = CollectionSchedule.NextDue(Id, FiveMinutes, s.AddTicks(now), last is long l ? s.AddTicks(l) : null, fraction, sample);
        Assert.True(s.AddTicks(expected) == due, $"{name}: expected S{expected / (double)FiveMinutes.Ticks:+0.###;-0.###}I, got S{(due - s).Ticks / (double)FiveMinutes.Ticks:+0.###;-0.###}I");
    }

    [Fact]
    public void NextDue_is_in_utc_and_ignores_the_callers_offset()
    {
        var s = Slot();
        var due = CollectionSchedule.NextDue(Id, FiveMinutes, s.ToOffset(TimeSpan.FromHours(2)).AddTicks(1), s.ToOffset(TimeSpan.FromHours(-5)), 0, 0);
        Assert.Equal(TimeSpan.Zero, due.Offset);
        Assert.Equal(s + FiveMinutes, due);
    }

    [Fact]
    public void NextDue_works_before_the_unix_epoch()
    {
        var now = new DateTimeOffset(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var due = CollectionSchedule.NextDue(Id, FiveMinutes, now, null, 0, 0);
        Assert.InRange(due, now, now + FiveMinutes - TimeSpan.FromTicks(1));
        Assert.Equal(CollectionSchedule.Phase(Id, FiveMinutes).Ticks, ((due - DateTimeOffset.UnixEpoch).Ticks % FiveMinutes.Ticks + FiveMinutes.Ticks) % FiveMinutes.Ticks);
    }

    [Fact]
    public void NextDue_beyond_the_representable_range_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>("interval", () =>
            CollectionSchedule.NextDue(Id, TimeSpan.FromDays(3650), DateTimeOffset.MaxValue - TimeSpan.FromDays(1), null, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>("interval", () =>
            CollectionSchedule.NextDue(Id, TimeSpan.MaxValue, DateTimeOffset.MinValue, DateTimeOffset.MaxValue, 0.5, 0.99));
    }

    public static TheoryData<string, double, double, TimeSpan> BadNextDueArguments => new()
    {
        { "jitterFraction", -0.01, 0, FiveMinutes },
        { "jitterFraction", 0.5000001, 0, FiveMinutes },
        { "jitterFraction", double.NaN, 0, FiveMinutes },
        { "jitterFraction", double.PositiveInfinity, 0, FiveMinutes },
        { "jitterSample", 0.1, -0.01, FiveMinutes },
        { "jitterSample", 0.1, 1.0, FiveMinutes },
        { "jitterSample", 0.1, double.NaN, FiveMinutes },
        { "interval", 0.1, 0, TimeSpan.Zero },
        { "interval", 0.1, 0, TimeSpan.FromTicks(-1) },
    };

    [Theory]
    [MemberData(nameof(BadNextDueArguments))]
    public void NextDue_rejects_out_of_range_arguments_by_name(string parameter, double fraction, double sample, TimeSpan interval) =>
        Assert.Throws<ArgumentOutOfRangeException>(parameter, () => CollectionSchedule.NextDue(Id, interval, Base, null, fraction, sample));

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.5)]
    public void NextDue_accepts_the_jitter_fraction_bounds(double fraction) =>
        Assert.InRange(CollectionSchedule.NextDue(Id, FiveMinutes, Base, null, fraction, 0.999999), Base, Base + (FiveMinutes * 1.5));

    [Fact]
    public void NextDue_rejects_a_missing_id()
    {
        Assert.Throws<ArgumentNullException>("accountId", () => CollectionSchedule.NextDue(null!, FiveMinutes, Base, null, 0, 0));
        Assert.Throws<ArgumentException>("accountId", () => CollectionSchedule.NextDue("", FiveMinutes, Base, null, 0, 0));
    }

    // ---- Back-off ----

    public static TheoryData<int, long, long, long> BackoffCases => new()
    {
        // failures, base, max, expected (seconds)
        { 0, 10, 600, 0 },
        { -1, 10, 600, 0 },
        { int.MinValue, 10, 600, 0 },
        { 1, 10, 600, 10 },
        { 2, 10, 600, 20 },
        { 3, 10, 600, 40 },
        { 6, 10, 600, 320 },
        { 7, 10, 600, 600 },
        { 8, 10, 600, 600 },
        { 62, 10, 600, 600 },
        { 63, 10, 600, 600 },
        { 64, 10, 600, 600 },
        { 1000, 10, 600, 600 },
        { int.MaxValue, 10, 600, 600 },
        { 1, 0, 600, 0 },
        { 50, 0, 600, 0 },
        { 1, 10, 5, 5 }, // max below base: max wins
        { 3, 10, 0, 0 },
        { 6, 10, 320, 320 }, // exactly at the cap
    };

    [Theory]
    [MemberData(nameof(BackoffCases))]
    public void Backoff_doubles_from_base_and_caps(int failures, long baseSeconds, long maxSeconds, long expectedSeconds) =>
        Assert.Equal(
            TimeSpan.FromSeconds(expectedSeconds),
            CollectionSchedule.BackoffDelay(failures, TimeSpan.FromSeconds(baseSeconds), TimeSpan.FromSeconds(maxSeconds)));

    [Theory]
    [InlineData(1, 1L)]
    [InlineData(63, 1L << 62)]
    [InlineData(64, long.MaxValue)]
    public void Backoff_does_not_overflow_at_the_top_of_the_range(int failures, long expectedTicks) =>
        Assert.Equal(TimeSpan.FromTicks(expectedTicks), CollectionSchedule.BackoffDelay(failures, TimeSpan.FromTicks(1), TimeSpan.MaxValue));

    [Fact]
    public void Backoff_is_monotonic_in_failures()
    {
        var previous = TimeSpan.Zero;
        for (var n = -3; n < 200; n++)
        {
            var d = CollectionSchedule.BackoffDelay(n, TimeSpan.FromMilliseconds(1500), TimeSpan.FromHours(1));
            Assert.True(d >= previous);
            Assert.True(d <= TimeSpan.FromHours(1));
            previous = d;
        }
    }

    [Fact]
    public void Backoff_rejects_negative_delays()
    {
        Assert.Throws<ArgumentOutOfRangeException>("baseDelay", () => CollectionSchedule.BackoffDelay(1, TimeSpan.FromTicks(-1), TimeSpan.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>("maxDelay", () => CollectionSchedule.BackoffDelay(1, TimeSpan.Zero, TimeSpan.FromTicks(-1)));
    }
}
