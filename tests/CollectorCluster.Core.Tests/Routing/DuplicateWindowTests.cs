using CollectorCluster.Core.Events;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Core.Tests.Routing;

public sealed class DuplicateWindowTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);
    private static readonly TimeSpan ClaimTimeout = DuplicateWindow.DefaultClaimTimeout;

    private static DuplicateWindow Delivered(string source, DateTimeOffset at, TimeSpan window) =>
        DuplicateWindow.Empty.Apply(new CopyDelivered("k", source, at, at + window));

    /// <summary>window state, asking source, minutes after T0, expected answer.</summary>
    public static TheoryData<string, string, int, ClaimAnswer> Cases => new()
    {
        { "empty", "a/1", 0, ClaimAnswer.Granted },
        { "delivered by a/1", "a/1", 10, ClaimAnswer.AlreadyDelivered },
        { "delivered by a/1", "b/7", 10, ClaimAnswer.Duplicate },
        { "delivered by a/1", "b/7", (int)Week.TotalMinutes - 1, ClaimAnswer.Duplicate },
        { "delivered by a/1", "b/7", (int)Week.TotalMinutes, ClaimAnswer.Granted },
        { "delivered by a/1", "a/1", (int)Week.TotalMinutes + 1, ClaimAnswer.Granted },
        { "claimed by a/1", "a/1", 1, ClaimAnswer.Granted },
        { "claimed by a/1", "b/7", 1, ClaimAnswer.Wait },
        { "claimed by a/1", "b/7", (int)ClaimTimeout.TotalMinutes - 1, ClaimAnswer.Wait },
        { "claimed by a/1", "b/7", (int)ClaimTimeout.TotalMinutes, ClaimAnswer.Granted },
        { "claimed by a/1, released", "b/7", 1, ClaimAnswer.Granted },
        { "claimed by a/1, released by b/7", "b/7", 1, ClaimAnswer.Wait },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Answers_by_what_the_recipient_has_and_who_holds_a_claim(string state, string source, int minutes, ClaimAnswer expected)
    {
        var window = state switch
        {
            "empty" => DuplicateWindow.Empty,
            "delivered by a/1" => Delivered("a/1", T0, Week),
            "claimed by a/1" => DuplicateWindow.Empty.Claim("k", "a/1", T0),
            "claimed by a/1, released" => DuplicateWindow.Empty.Claim("k", "a/1", T0).Release("k", "a/1"),
            "claimed by a/1, released by b/7" => DuplicateWindow.Empty.Claim("k", "a/1", T0).Release("k", "b/7"),
            _ => throw new ArgumentException(state),
        };

        Assert.Equal(expected, window.Decide("k", source, T0.AddMinutes(minutes), ClaimTimeout));
    }

    [Fact]
    public void A_delivery_ends_its_own_claim_and_the_waiting_source_then_learns_it_is_a_duplicate()
    {
        var window = DuplicateWindow.Empty.Claim("k", "a/1", T0);
        Assert.Equal(ClaimAnswer.Wait, window.Decide("k", "b/7", T0, ClaimTimeout));
        window = window.Apply(new CopyDelivered("k", "a/1", T0, T0 + Week));
        Assert.Empty(window.Claims);
        Assert.Equal(ClaimAnswer.Duplicate, window.Decide("k", "b/7", T0, ClaimTimeout));
    }

    [Fact]
    public void Each_copy_expires_by_the_window_of_the_account_that_delivered_it()
    {
        var window = DuplicateWindow.Empty
            .Apply(new CopyDelivered("short", "a/1", T0, T0 + TimeSpan.FromDays(1)))
            .Apply(new CopyDelivered("long", "b/1", T0, T0 + TimeSpan.FromDays(30)));
        var later = T0 + TimeSpan.FromDays(2);
        Assert.Equal(ClaimAnswer.Granted, window.Decide("short", "c/1", later, ClaimTimeout));
        Assert.Equal(ClaimAnswer.Duplicate, window.Decide("long", "c/1", later, ClaimTimeout));
    }

    [Fact]
    public void Pruning_forgets_expired_copies_and_stale_claims_only()
    {
        var window = DuplicateWindow.Empty
            .Apply(new CopyDelivered("old", "a/1", T0, T0 + TimeSpan.FromDays(1)))
            .Apply(new CopyDelivered("new", "a/2", T0, T0 + Week))
            .Claim("stale", "a/3", T0)
            .Claim("fresh", "a/4", T0 + TimeSpan.FromDays(2));
        var pruned = window.Prune(T0 + TimeSpan.FromDays(2), ClaimTimeout);
        Assert.Equal(["new"], pruned.Delivered.Keys);
        Assert.Equal(["fresh"], pruned.Claims.Keys);
        Assert.Same(pruned, pruned.Prune(T0 + TimeSpan.FromDays(2), ClaimTimeout));
    }
}
