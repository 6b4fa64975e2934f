using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Tests.State;

/// <summary>Marks and resets as events: what they set, what clears them, and that totals are history.</summary>
public class MarkAndResetTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static MessageCollected Collected(string uidl, long size, int minute = 0) =>
        new(uidl, size, T0.AddMinutes(minute), T0.AddMinutes(minute + 1), false);

    private static AccountState Apply(params IAccountEvent[] events) => events.Aggregate(AccountState.Empty, (s, e) => s.Apply(e));

    [Fact]
    public void Marks_are_set_replaced_and_cleared()
    {
        var s = Apply(Collected("a", 10), new MessageMarked("a", "Download", T0));
        Assert.Equal(MessageMark.Download, s.Marks["a"]);
        s = s.Apply(new MessageMarked("a", "Delete", T0));
        Assert.Equal(MessageMark.Delete, Assert.Single(s.Marks).Value);
        s = s.Apply(new MarkCleared("a", T0));
        Assert.Empty(s.Marks);
        Assert.True(s.HasCollected("a"));
    }

    [Fact]
    public void Unknown_mark_name_is_refused()
    {
        Assert.Throws<ArgumentException>(() => AccountState.Empty.Apply(new MessageMarked("a", "Archive", T0)));
    }

    [Fact]
    public void Collecting_clears_a_download_mark_keeps_first_seen_and_counts()
    {
        var s = Apply(Collected("a", 10), Collected("b", 5), new MessageMarked("a", "Download", T0), new MessageMarked("b", "Delete", T0));
        s = s.Apply(new MessageCollected("a", 10, T0.AddDays(1), T0.AddDays(1), true));
        Assert.False(s.Marks.ContainsKey("a"));
        Assert.Equal(MessageMark.Delete, s.Marks["b"]);
        Assert.Equal(T0, s.Collected["a"].FirstSeen);
        Assert.Equal(T0.AddDays(1), s.Collected["a"].CollectedAt);
        Assert.Equal(3, s.TotalCollected);
        Assert.Equal(25, s.TotalBytes);
    }

    [Fact]
    public void Deletion_and_vanishing_clear_the_marks_of_those_messages()
    {
        var s = Apply(Collected("a", 1), Collected("b", 1), Collected("c", 1),
            new MessageMarked("a", "Delete", T0), new MessageMarked("b", "Download", T0), new MessageMarked("x", "Delete", T0));
        s = s.Apply(new MessagesDeletedOnServer(["a", "b"], "OperatorMark", T0));
        Assert.Equal(["x"], s.Marks.Keys);
        Assert.Equal(["c"], s.Collected.Keys);

        s = Apply(Collected("a", 1), new MessageMarked("a", "Download", T0), new MessageMarked("x", "Delete", T0))
            .Apply(new MessagesVanished(["a", "x"], T0));
        Assert.Empty(s.Marks);
        Assert.Empty(s.Collected);
    }

    [Fact]
    public void Reset_forgets_all_or_since_and_keeps_totals_and_marks()
    {
        var s = Apply(Collected("old", 100, 0), Collected("mid", 20, 10), Collected("new", 3, 20), new MessageMarked("old", "Delete", T0));
        var all = s.Apply(new CollectorReset(null, 3, 123, T0));
        Assert.Empty(all.Collected);
        Assert.Equal((3L, 123L), (all.TotalCollected, all.TotalBytes));
        Assert.Equal(MessageMark.Delete, all.Marks["old"]);

        var since = s.Apply(new CollectorReset(T0.AddMinutes(10), 2, 23, T0));
        Assert.Equal(["old"], since.Collected.Keys);
        Assert.Equal(3, since.TotalCollected);
    }

    [Theory]
    [InlineData(null, 3, 123)]
    [InlineData(0, 3, 123)]
    [InlineData(10, 2, 23)]
    [InlineData(11, 1, 3)]
    [InlineData(21, 0, 0)]
    public void Preview_counts_what_a_reset_forgets(int? sinceMinute, int count, long bytes)
    {
        var s = Apply(Collected("old", 100, 0), Collected("mid", 20, 10), Collected("new", 3, 20));
        DateTimeOffset? since = sinceMinute is int m ? T0.AddMinutes(m) : null;
        var preview = ResetPreview.Compute(s, since);
        Assert.Equal(new ResetPreview(count, bytes), preview);

        var after = s.Apply(new CollectorReset(since, preview.Messages, preview.Bytes, T0));
        Assert.Equal(3 - count, after.Collected.Count);
        Assert.Equal(new ResetPreview(0, 0), ResetPreview.Compute(after, since));
    }

    [Fact]
    public void Preview_of_an_empty_account_is_zero()
    {
        Assert.Equal(new ResetPreview(0, 0), ResetPreview.Compute(AccountState.Empty, null));
    }

    [Fact]
    public void Pause_and_resume_toggle_the_pause_and_leave_the_rest_alone()
    {
        var s = Apply(Collected("a", 10), new MessageMarked("a", "Delete", T0));
        Assert.False(s.Paused);
        var paused = s.Apply(new AccountPaused(T0));
        Assert.True(paused.Paused);
        Assert.Equal(s.Collected, paused.Collected);
        Assert.Equal(s.Marks, paused.Marks);
        Assert.True(paused.Apply(new AccountPaused(T0)).Paused);
        var resumed = paused.Apply(new AccountResumed(T0.AddMinutes(1)));
        Assert.False(resumed.Paused);
        Assert.Equal(s, resumed);
    }
}
