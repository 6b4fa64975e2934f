using CollectorCluster.Core.Planning;
using CollectorCluster.Core.State;
using static CollectorCluster.Core.Tests.Planning.PlanFixtures;

namespace CollectorCluster.Core.Tests.Planning;

/// <summary>max-message-size: oversize messages are skipped or fetched last, always reported, and a Download mark overrides.</summary>
public class SizeLimitPlannerTests
{
    private static SizeLimitedPlan Apply(string[] listing, AccountState state, CollectionOptions options, long max, OversizeHandling handling) =>
        SizeLimitPlanner.Apply(CollectionPlanner.Plan(Listing(listing), state, options, Now), state, new SizeLimit(max, handling));

    public static TheoryData<string[], string[], string[], long, OversizeHandling, bool, int[], int[]> Cases => new()
    {
        // listing, collected, download marks, max, handling, smallest first, expected fetch, expected oversize
        { ["a:100", "b:5000", "c:200"], [], [], 1000, OversizeHandling.Skip, false, [1, 3], [2] },
        { ["a:100", "b:5000", "c:200"], [], [], 1000, OversizeHandling.Postpone, false, [1, 3, 2], [2] },
        { ["a:9000", "b:5000", "c:200"], [], [], 1000, OversizeHandling.Postpone, true, [3, 2, 1], [2, 1] }, // oversize keep the plan's order
        { ["a:9000", "b:5000", "c:200"], [], [], 1000, OversizeHandling.Postpone, false, [3, 1, 2], [1, 2] },
        { ["a:1000", "b:1001"], [], [], 1000, OversizeHandling.Skip, false, [1], [2] }, // exactly the limit is within it
        { ["a:100", "b:5000"], [], [], 0, OversizeHandling.Skip, false, [1, 2], [] }, // 0 = no limit
        { ["a:100", "b:5000"], [], [], -1, OversizeHandling.Skip, false, [1, 2], [] },
        { ["a:100", "b:5000"], [], ["b"], 1000, OversizeHandling.Skip, false, [1, 2], [] }, // download mark overrides
        { ["a:100", "b:5000"], ["b"], ["b"], 1000, OversizeHandling.Skip, false, [1, 2], [] }, // ... also for a re-download
        { ["a:100", "b:5000"], ["b"], [], 1000, OversizeHandling.Skip, false, [1], [] }, // collected: not fetched, not oversize
        { ["-:100", "-:5000"], [], [], 1000, OversizeHandling.Skip, false, [1], [2] }, // no UIDL, delete mode below
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Oversize_messages_are_skipped_or_postponed(string[] listing, string[] collected, string[] download, long max, OversizeHandling handling, bool smallestFirst, int[] fetch, int[] oversize)
    {
        var state = CollectionPlannerMarkTests.Marked(Collected(collected), download, []);
        var options = listing[0].StartsWith('-') ? DeleteMode(smallestFirst) : Leave(smallestFirst: smallestFirst);
        var result = Apply(listing, state, options, max, handling);

        Assert.Equal(fetch, Numbers(result.Plan.Fetch));
        Assert.Equal(oversize, Numbers(result.Oversize.Select(o => o.Message)));
        Assert.All(result.Oversize, o => Assert.Equal(handling, o.Handling));
        Assert.Equal(oversize.Length, result.Plan.Warnings.Count(w => w.Contains("max-message-size", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_warning_names_the_uidl_the_size_and_the_limit()
    {
        var result = Apply(["small:10", "big:123456"], AccountState.Empty, Leave(), 100000, OversizeHandling.Skip);
        var warning = Assert.Single(result.Plan.Warnings);
        Assert.Equal("UIDL \"big\" (message 2) is 123456 bytes, over max-message-size 100000 bytes: skipped and left on the server (mark it for download to collect it).", warning);
    }

    [Fact]
    public void Without_a_uidl_the_warning_names_the_message_number()
    {
        var result = Apply(["-:10", "-:123456"], AccountState.Empty, DeleteMode(), 100000, OversizeHandling.Postpone);
        Assert.Contains("Message 2 (no UIDL) is 123456 bytes, over max-message-size 100000 bytes: fetched last.", result.Plan.Warnings);
    }

    [Fact]
    public void Skipped_messages_are_neither_fetched_nor_deleted_in_delete_mode()
    {
        var result = Apply(["a:10", "b:5000"], Collected("a"), DeleteMode(), 1000, OversizeHandling.Skip);
        Assert.Empty(result.Plan.Fetch);
        Assert.Equal([1], Numbers(result.Plan.Delete));
        Assert.True(result.Plan.DeleteAfterFetch);
        Assert.Equal([2], Numbers(result.Oversize.Select(o => o.Message)));
    }

    [Fact]
    public void Existing_warnings_deletions_and_vanished_are_kept()
    {
        var state = Collected(TimeSpan.FromDays(10), "old", "gone");
        var plan = CollectionPlanner.Plan(Listing("old:10", "dup:5000", "dup:6000", "new:7000"), state, Leave(days: 7), Now);
        var result = SizeLimitPlanner.Apply(plan, state, new SizeLimit(1000, OversizeHandling.Skip));
        Assert.Equal(plan.Delete, result.Plan.Delete);
        Assert.Equal(plan.Vanished, result.Plan.Vanished);
        Assert.Equal(plan.Warnings, result.Plan.Warnings.Take(plan.Warnings.Count));
        Assert.Equal(plan.Warnings.Count + 1, result.Plan.Warnings.Count);
    }

    [Fact]
    public void Beyond_twenty_oversize_messages_one_warning_counts_the_rest_and_all_are_returned()
    {
        var listing = Enumerable.Range(0, 25).Select(i => $"u{i}:{5000 + i}").ToArray();
        var result = Apply(listing, AccountState.Empty, Leave(), 1000, OversizeHandling.Skip);
        Assert.Empty(result.Plan.Fetch);
        Assert.Equal(25, result.Oversize.Count);
        Assert.Equal(SizeLimitPlanner.MaxNamedInWarnings + 1, result.Plan.Warnings.Count);
        Assert.Equal("and 5 more message(s) over max-message-size 1000 bytes skipped.", result.Plan.Warnings[^1]);
    }

    [Fact]
    public void Property_no_message_is_lost_every_listed_fetch_is_either_fetched_or_reported()
    {
        var random = new Random(42);
        for (var round = 0; round < 500; round++)
        {
            var count = random.Next(0, 30);
            var listing = Enumerable.Range(0, count).Select(i => $"m{i}:{random.Next(0, 3000)}").ToArray();
            var collected = listing.Where(_ => random.Next(3) == 0).Select(s => s.Split(':')[0]).ToArray();
            var download = listing.Where(_ => random.Next(5) == 0).Select(s => s.Split(':')[0]).ToArray();
            var state = CollectionPlannerMarkTests.Marked(Collected(collected), download, []);
            var handling = random.Next(2) == 0 ? OversizeHandling.Skip : OversizeHandling.Postpone;
            var max = random.Next(0, 3000);
            var before = CollectionPlanner.Plan(Listing(listing), state, Leave(smallestFirst: random.Next(2) == 0), Now);
            var after = SizeLimitPlanner.Apply(before, state, new SizeLimit(max, handling));

            var oversize = Numbers(after.Oversize.Select(o => o.Message));
            Assert.Equal(Numbers(before.Fetch).Order(), Numbers(after.Plan.Fetch).Concat(handling == OversizeHandling.Skip ? oversize : []).Order());
            Assert.All(after.Oversize, o => Assert.True(max > 0 && o.Message.Size > max));
            Assert.All(after.Plan.Fetch.Where(m => !oversize.Contains(m.Number)), m => Assert.True(max <= 0 || m.Size <= max || download.Contains(m.Uidl)));
        }
    }
}
