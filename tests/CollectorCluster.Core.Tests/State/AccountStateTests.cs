using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Tests.State;

/// <summary>Event application: each event type, totals, pruning and the failure counter.</summary>
public class AccountStateTests
{
    private static readonly DateTimeOffset T0 = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static MessageCollected Collected(string uidl, long size, int minute = 0) =>
        new(uidl, size, T0.AddMinutes(minute), T0.AddMinutes(minute + 1), false);

    private static AccountState Apply(params IAccountEvent[] events) => events.Aggregate(AccountState.Empty, (s, e) => s.Apply(e));

    [Fact]
    public void Empty_is_empty()
    {
        var s = AccountState.Empty;
        Assert.Empty(s.Collected);
        Assert.Null(s.Configuration);
        Assert.Null(s.LastCollection);
        Assert.Null(s.LastSuccessAt);
        Assert.Equal(0, s.ConsecutiveFailures);
        Assert.Equal(0, s.TotalCollected);
        Assert.Equal(0, s.TotalBytes);
        Assert.False(s.HasCollected("x"));
    }

    [Fact]
    public void AccountConfigured_replaces_the_configuration()
    {
        var c1 = new AccountConfigured("fred@pop.example.com", "maildir:/a", true, T0);
        var c2 = c1 with { LeaveMailOnServer = false, At = T0.AddDays(1) };
        Assert.Equal(c1, Apply(c1).Configuration);
        Assert.Equal(c2, Apply(c1, c2).Configuration);
        Assert.Empty(Apply(c1).Collected);
    }

    [Fact]
    public void MessageCollected_records_the_message_and_totals()
    {
        var s = Apply(Collected("a", 100, 1), Collected("b", 250, 2));
        Assert.Equal(new CollectedMessage("a", 100, T0.AddMinutes(1), T0.AddMinutes(2)), s.Collected["a"]);
        Assert.True(s.HasCollected("b"));
        Assert.Equal(2, s.TotalCollected);
        Assert.Equal(350, s.TotalBytes);
    }

    [Fact]
    public void Uidls_are_ordinal()
    {
        var s = Apply(Collected("abc", 1));
        Assert.True(s.HasCollected("abc"));
        Assert.False(s.HasCollected("ABC"));
    }

    [Fact]
    public void Collecting_the_same_uidl_again_overwrites_and_still_counts()
    {
        // A reset then re-download (seed: "How to reset a POP3 Collector") counts in the lifetime totals.
        var s = Apply(Collected("a", 100, 1), Collected("a", 120, 5));
        Assert.Single(s.Collected);
        Assert.Equal(120, s.Collected["a"].Size);
        Assert.Equal(2, s.TotalCollected);
        Assert.Equal(220, s.TotalBytes);
    }

    public static TheoryData<string, string[], string[]> PruneCases => new()
    {
        { "some", ["a", "c"], ["b"] },
        { "all", ["a", "b", "c"], [] },
        { "none", [], ["a", "b", "c"] },
        { "unknown UIDLs are ignored", ["zz", "a"], ["b", "c"] },
        { "repeated UIDLs", ["a", "a"], ["b", "c"] },
    };

    [Theory]
    [MemberData(nameof(PruneCases))]
    public void Vanished_and_deleted_messages_are_pruned_but_totals_stay(string name, string[] removed, string[] remaining)
    {
        var baseState = Apply(Collected("a", 1), Collected("b", 2), Collected("c", 3));
        var afterVanished = baseState.Apply(new MessagesVanished(removed, T0));
        var afterDeleted = baseState.Apply(new MessagesDeletedOnServer(removed, "Expired", T0));
        foreach (var s in new[] { afterVanished, afterDeleted })
        {
            Assert.True(remaining.SequenceEqual(s.Collected.Keys.Order(StringComparer.Ordinal)), name);
            Assert.Equal(3, s.TotalCollected);
            Assert.Equal(6, s.TotalBytes);
        }
    }

    [Fact]
    public void CollectionCompleted_records_the_outcome_and_resets_failures()
    {
        var failed = new CollectionFailed(T0, T0.AddSeconds(5), "auth", "-ERR bad password", 0, 0);
        var done = new CollectionCompleted(T0.AddMinutes(5), T0.AddMinutes(6), 10, 3, 1, 4096, ["w1", "w2"]);
        var s = Apply(failed, failed, done);
        Assert.Equal(0, s.ConsecutiveFailures);
        Assert.Equal(T0.AddMinutes(6), s.LastSuccessAt);
        Assert.Equal(new CollectionOutcome(T0.AddMinutes(5), T0.AddMinutes(6), true, 3, 4096, "w1; w2"), s.LastCollection);
    }

    [Fact]
    public void CollectionCompleted_without_warnings_has_empty_detail()
    {
        var s = Apply(new CollectionCompleted(T0, T0.AddSeconds(1), 0, 0, 0, 0, []));
        Assert.Equal(string.Empty, s.LastCollection!.Detail);
    }

    [Fact]
    public void CollectionFailed_counts_and_keeps_the_last_success()
    {
        var done = new CollectionCompleted(T0, T0.AddSeconds(1), 1, 1, 0, 10, []);
        var failed = new CollectionFailed(T0.AddMinutes(5), T0.AddMinutes(5).AddSeconds(30), "connect", "timed out", 2, 20);
        var s = Apply(done, failed, failed, failed);
        Assert.Equal(3, s.ConsecutiveFailures);
        Assert.Equal(T0.AddSeconds(1), s.LastSuccessAt);
        Assert.Equal(new CollectionOutcome(failed.StartedAt, failed.FailedAt, false, 2, 20, "connect: timed out"), s.LastCollection);
        Assert.Equal(0, s.TotalCollected); // session counts do not touch the per-message totals
    }

    [Fact]
    public void Apply_is_pure()
    {
        var s = Apply(Collected("a", 1));
        var before = s.Collected;
        var t = s.Apply(new MessagesVanished(["a"], T0));
        Assert.Same(before, s.Collected);
        Assert.True(s.HasCollected("a"));
        Assert.False(t.HasCollected("a"));
        var (x, y) = (s.Apply(Collected("b", 2)), s.Apply(Collected("b", 2)));
        Assert.Equal(x.Collected.OrderBy(kv => kv.Key, StringComparer.Ordinal), y.Collected.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(x with { Collected = y.Collected }, y);
    }

    [Fact]
    public void Unknown_events_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>("e", () => AccountState.Empty.Apply(new UnknownEvent()));
        Assert.Contains(nameof(UnknownEvent), ex.Message);
    }
}
