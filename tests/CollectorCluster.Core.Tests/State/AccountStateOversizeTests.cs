using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Tests.State;

/// <summary>OversizeMessagesReported: the latest report replaces the last one; messages without a UIDL are reported but not kept.</summary>
public class AccountStateOversizeTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_report_replaces_the_previous_one_and_an_empty_report_clears_it()
    {
        var state = AccountState.Empty
            .Apply(new OversizeMessagesReported([new OversizeEntry("a", 1, 5000), new OversizeEntry("b", 2, 6000)], 1000, "Skip", At));
        Assert.Equal(new Dictionary<string, long> { ["a"] = 5000, ["b"] = 6000 }, state.Oversize);

        state = state.Apply(new OversizeMessagesReported([new OversizeEntry("b", 1, 6000), new OversizeEntry(null, 2, 9000)], 1000, "Skip", At));
        Assert.Equal(new Dictionary<string, long> { ["b"] = 6000 }, state.Oversize);

        state = state.Apply(new OversizeMessagesReported([], 1000, "Skip", At));
        Assert.Empty(state.Oversize);
    }

    [Fact]
    public void A_report_touches_nothing_else()
    {
        var before = AccountState.Empty.Apply(new MessageCollected("c", 10, At, At, false)).Apply(new MessageMarked("a", "Download", At));
        var after = before.Apply(new OversizeMessagesReported([new OversizeEntry("a", 1, 5000)], 1000, "Skip", At));
        Assert.Equal(before.Collected, after.Collected);
        Assert.Equal(before.Marks, after.Marks);
        Assert.Equal(before.TotalCollected, after.TotalCollected);
    }
}
