using CollectorCluster.Core.Scheduling;

namespace CollectorCluster.Core.Tests.Scheduling;

/// <summary>The seed's "not multiples of each other" advice, as table-driven cases.</summary>
public class IntervalAdvisorTests
{
    private static (string, TimeSpan)[] Accounts(params double[] minutes) =>
        minutes.Select((m, i) => ($"a{i}", TimeSpan.FromMinutes(m))).ToArray();

    [Theory]
    [InlineData(new double[0])]
    [InlineData(new[] { 5.0 })]
    [InlineData(new[] { 5.0, 5.0, 5.0 })]
    [InlineData(new[] { 5.0, 7.0, 9.0 })]
    [InlineData(new[] { 4.0, 6.0 })]  // not multiples (they share a factor, which the seed does not warn about)
    [InlineData(new[] { 7.0, 11.0, 13.0, 10.0 })]
    [InlineData(new[] { 1.5, 2.5 })]
    public void No_warning_when_no_interval_is_a_multiple_of_another(double[] minutes) =>
        Assert.Empty(IntervalAdvisor.Warnings(Accounts(minutes)));

    [Fact]
    public void The_seeds_example_warns_once_per_pair()
    {
        var warnings = IntervalAdvisor.Warnings(Accounts(3, 6, 9, 3));
        Assert.Equal(
            [
                "Intervals 3m (2 accounts) and 6m (1 account) are multiples of each other: their schedules coincide every 6m; prefer intervals that are not, e.g. 3m and 7m rather than 3m and 6m.",
                "Intervals 3m (2 accounts) and 9m (1 account) are multiples of each other: their schedules coincide every 9m; prefer intervals that are not, e.g. 3m and 10m rather than 3m and 9m.",
            ],
            warnings);
    }

    public static TheoryData<double[], string[]> PairCases => new()
    {
        { [2, 4, 8], ["2m/4m", "2m/8m", "4m/8m"] },
        { [10, 5], ["5m/10m"] },
        { [1.5, 3], ["1m30s/3m"] },
        { [60, 120, 7], ["1h/2h"] },
        { [0.5, 5], ["30s/5m"] },
        { [1440, 60], ["1h/1d"] },
    };

    [Theory]
    [MemberData(nameof(PairCases))]
    public void Pairs_are_named_in_ascending_order(double[] minutes, string[] pairs)
    {
        var warnings = IntervalAdvisor.Warnings(Accounts(minutes));
        Assert.Equal(pairs.Length, warnings.Count);
        for (var i = 0; i < pairs.Length; i++)
        {
            var p = pairs[i].Split('/');
            Assert.StartsWith($"Intervals {p[0]} (", warnings[i]);
            Assert.Contains($") and {p[1]} (", warnings[i]);
            Assert.Contains($"coincide every {p[1]};", warnings[i]);
        }
    }

    [Fact]
    public void Output_does_not_depend_on_input_order()
    {
        var a = Accounts(9, 3, 6, 5, 10, 7);
        Assert.Equal(IntervalAdvisor.Warnings(a), IntervalAdvisor.Warnings(a.Reverse()));
    }

    [Theory]
    [InlineData(new[] { 1.0, 2.0 }, "2m1s")]   // every whole minute is a multiple of 1m: a whole-second suggestion
    [InlineData(new[] { 5.0, 10.0 }, "11m")]
    [InlineData(new[] { 2.0, 4.0, 6.0, 7.0 }, "5m")]
    [InlineData(new[] { 2.0, 4.0, 5.0, 7.0 }, "3m")] // 5m is in use, so the search steps down to 3m
    public void Suggestions_are_unrelated_to_every_other_interval(double[] minutes, string suggested) =>
        Assert.Contains($"and {suggested} rather than", IntervalAdvisor.Warnings(Accounts(minutes))[0]);

    [Fact]
    public void Without_a_nearby_suggestion_the_seeds_advice_is_given()
    {
        var w = IntervalAdvisor.Warnings([("a", TimeSpan.FromTicks(3)), ("b", TimeSpan.FromTicks(6))]);
        Assert.Equal(
            "Intervals 3ticks (1 account) and 6ticks (1 account) are multiples of each other: their schedules coincide every 6ticks; prefer intervals that are not multiples of one another, e.g. 5m, 7m, 9m rather than 3m, 6m, 9m.",
            Assert.Single(w));
    }

    [Fact]
    public void Bad_input_is_rejected()
    {
        Assert.Throws<ArgumentNullException>("accounts", () => IntervalAdvisor.Warnings(null!));
        var ex = Assert.Throws<ArgumentOutOfRangeException>("accounts", () => IntervalAdvisor.Warnings([("ok", TimeSpan.FromMinutes(5)), ("broken", TimeSpan.Zero)]));
        Assert.Contains("broken", ex.Message);
    }

    [Fact]
    public void Huge_intervals_do_not_overflow()
    {
        var w = IntervalAdvisor.Warnings([("a", TimeSpan.FromTicks(long.MaxValue / 2)), ("b", TimeSpan.FromTicks(long.MaxValue / 2 * 2))]);
        Assert.Single(w);
    }
}
