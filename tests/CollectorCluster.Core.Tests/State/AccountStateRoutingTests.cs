using CollectorCluster.Core.Events;
using CollectorCluster.Core.Routing;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Tests.State;

/// <summary>Multidrop routing counts and UIDLs taken over from another collector, as the account's state applies them.</summary>
public sealed class AccountStateRoutingTests
{
    private static readonly DateTimeOffset T0 = AccountFixtures.Now;

    private static MessageRouted Routed(string uidl, params (string User, RouteVia Via, CopyOutcome Outcome)[] copies) =>
        new(uidl, "dup:1", "Delivered-To", copies.Select(c => new RoutedCopy(c.User, c.Via, c.Outcome)).ToList(), [], T0);

    /// <summary>The routed messages, and the counts (messages, copies, duplicates, to default, refused) they add up to.</summary>
    public static TheoryData<MessageRouted[], long[]> Counts => new()
    {
        { [], [0, 0, 0, 0, 0] },
        { [Routed("1", ("ann", RouteVia.User, CopyOutcome.Delivered), ("pm", RouteVia.Default, CopyOutcome.Delivered))], [1, 2, 0, 1, 0] },
        { [Routed("1", ("ann", RouteVia.User, CopyOutcome.Delivered)), Routed("2", ("ann", RouteVia.Alias, CopyOutcome.Duplicate))], [2, 1, 1, 0, 0] },
        // A session repeated after a crash finds every copy delivered: the message does not count again.
        { [Routed("1", ("ann", RouteVia.User, CopyOutcome.Delivered)), Routed("1", ("ann", RouteVia.User, CopyOutcome.AlreadyDelivered))], [1, 1, 0, 0, 0] },
        { [Routed("1", ("ann", RouteVia.User, CopyOutcome.AlreadyDelivered), ("bob", RouteVia.User, CopyOutcome.Delivered))], [1, 1, 0, 0, 0] },
        { [new MessageRouted("1", null, "To/Cc", [new RoutedCopy("ann", RouteVia.User, CopyOutcome.Delivered)], [new RefusedRecipient("zed@example.com", "no user")], T0)], [1, 1, 0, 0, 1] },
    };

    [Theory]
    [MemberData(nameof(Counts))]
    public void Routing_counts_add_up_per_copy(MessageRouted[] routed, long[] expected)
    {
        var counts = AccountFixtures.StateAfter(routed).Routing;
        Assert.Equal(expected, new[] { counts.Messages, counts.Copies, counts.Duplicates, counts.ToDefault, counts.Refused });
    }

    [Fact]
    public void Imported_uidls_count_as_collected_once_and_keep_what_was_collected_itself()
    {
        var own = new MessageCollected("b", 500, T0.AddDays(-3), T0.AddDays(-3), false);
        var state = AccountFixtures.StateAfter(own, new UidlsImported("/etc/fred.uidls", "fetchmail ~/.fetchids", ["a", "b"], T0));
        Assert.True(state.HasCollected("a"));
        Assert.Equal(T0, state.Collected["a"].FirstSeen);
        Assert.Equal(500, state.Collected["b"].Size);
        Assert.Contains("/etc/fred.uidls", state.ImportedSeeds);
        Assert.Equal(1, state.TotalCollected); // taken over, not collected by us
    }
}
