using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Tests.State;

/// <summary>The account's collection history: every session's result in order, failures too, bounded to the last <see cref="AccountState.HistoryLength"/>.</summary>
public sealed class AccountHistoryTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Sessions_are_kept_oldest_first_and_the_last_is_the_last_collection()
    {
        var state = AccountState.Empty
            .Apply(new CollectionCompleted(At, At.AddSeconds(1), 2, 2, 0, 200, []))
            .Apply(new CollectionFailed(At.AddMinutes(1), At.AddMinutes(1).AddSeconds(1), "connect", "refused", 0, 0));
        Assert.Equal([2, 0], state.History.Select(h => h.Collected));
        Assert.Equal([true, false], state.History.Select(h => h.Succeeded));
        Assert.Equal(state.LastCollection, state.History[^1]);
        Assert.Equal("connect: refused", state.History[^1].Detail);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(50, 50)]
    [InlineData(51, 50)]
    [InlineData(120, 50)]
    public void The_history_keeps_the_newest_sessions_only(int sessions, int kept)
    {
        var state = AccountState.Empty;
        for (var i = 0; i < sessions; i++)
        {
            state = state.Apply(new CollectionCompleted(At.AddMinutes(i), At.AddMinutes(i), 1, i, 0, i * 10L, []));
        }

        Assert.Equal(kept, state.History.Count);
        Assert.Equal(Enumerable.Range(sessions - kept, kept), state.History.Select(h => h.Collected));
    }

    [Fact]
    public void Other_events_leave_the_history_alone()
    {
        var state = AccountState.Empty.Apply(new CollectionCompleted(At, At, 1, 1, 0, 10, []));
        var after = state.Apply(new MessageMarked("u1", "Delete", At)).Apply(new CollectorReset(null, 1, 10, At));
        Assert.Same(state.History, after.History);
    }
}
