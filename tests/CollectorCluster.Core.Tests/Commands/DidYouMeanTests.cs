using CollectorCluster.Core.Commands;

namespace CollectorCluster.Core.Tests.Commands;

/// <summary>The typo suggestions of unknown commands: near misses suggest, far ones and exact matches don't.</summary>
public class DidYouMeanTests
{
    private static readonly string[] Verbs = ["show", "status", "leader", "unreachable", "join", "leave", "down", "down-unreachable"];

    [Theory]
    [InlineData("stauts", "status")]
    [InlineData("shwo", "show")]
    [InlineData("leav", "leave")]
    [InlineData("LEADER", "leader")]
    [InlineData("unreachabel", "unreachable")]
    [InlineData("down-unreachble", "down-unreachable")]
    public void Suggests_the_nearest_command_for_a_typo(string input, string expected) =>
        Assert.Equal(expected, DidYouMean.Closest(input, Verbs));

    [Theory]
    [InlineData("frobnicate")]
    [InlineData("x")]
    [InlineData("status")]
    public void Suggests_nothing_for_unrelated_words_or_exact_matches(string input) =>
        Assert.Null(DidYouMean.Closest(input, Verbs));

    [Fact]
    public void Suggests_nothing_without_candidates() => Assert.Null(DidYouMean.Closest("show", []));

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("abc", "", 3)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("ab", "ba", 1)]
    [InlineData("collect", "collect", 0)]
    public void Distance_is_levenshtein_with_transpositions(string a, string b, int expected)
    {
        Assert.Equal(expected, DidYouMean.Distance(a, b));
        Assert.Equal(expected, DidYouMean.Distance(b, a));
    }
}
