using CollectorCluster.Core.Planning;
using CollectorCluster.Core.State;
using static CollectorCluster.Core.Tests.Planning.PlanFixtures;

namespace CollectorCluster.Core.Tests.Planning;

/// <summary>Operator marks (the seed's "Collector Tasks"): Download fetches again, Delete deletes, unlisted marks vanish.</summary>
public class CollectionPlannerMarkTests
{
    private static CollectionPlan Plan(ListedMessage[] listing, AccountState state, CollectionOptions options) =>
        CollectionPlanner.Plan(listing, state, options, Now);

    public static TheoryData<string[], string[], string[], string[], bool, bool, int[], int[]> MarkCases => new()
    {
        // listing, collected, download marks, delete marks, leave, smallest first, expected fetch, expected OperatorMark deletions
        { ["a:300", "b:100", "c:200"], ["a", "b", "c"], ["b"], [], true, false, [2], [] },
        { ["a:300", "b:100", "c:200"], ["a", "b"], ["a"], [], true, false, [1, 3], [] },
        { ["a:300", "b:100", "c:200"], ["a", "b"], ["a"], [], true, true, [3, 1], [] },
        { ["a:300", "b:100", "c:200"], ["a", "b", "c"], [], ["b"], true, false, [], [2] },
        { ["a:300", "b:100", "c:200"], ["a"], [], ["c"], true, false, [2], [3] }, // uncollected and marked: deleted, not fetched
        { ["a:300", "b:100", "c:200"], ["a", "b", "c"], ["a"], ["c"], true, false, [1], [3] },
        { ["a:300", "b:100", "c:200"], ["a", "b", "c"], ["a"], ["c"], false, false, [1], [3] },
        { ["a:300", "b:100", "c:200"], [], [], ["b"], false, true, [3, 1], [2] },
        { ["a", "b"], ["a", "b"], ["zz"], ["yy"], true, false, [], [] }, // unlisted marks are ignored
        { ["a", "a", "b"], ["b"], ["a"], [], true, false, [], [] }, // ambiguous UIDLs stay skipped, marked or not
        { ["a", "a", "b"], [], [], ["a"], true, false, [3], [] },
    };

    [Theory]
    [MemberData(nameof(MarkCases))]
    public void Marks_drive_fetch_and_delete(string[] listing, string[] collected, string[] download, string[] delete, bool leave, bool smallestFirst, int[] fetch, int[] marked)
    {
        var state = Marked(Collected(collected), download, delete);
        var options = new CollectionOptions(leave, null, smallestFirst, true);
        var plan = Plan(Listing(listing), state, options);

        Assert.Equal(fetch, Numbers(plan.Fetch));
        Assert.Equal(marked, Numbers(plan.Delete.Where(d => d.Reason == DeletionReason.OperatorMark)));
        Assert.Empty(Numbers(plan.Fetch).Intersect(Numbers(plan.Delete)));
    }

    [Fact]
    public void Download_mark_wins_over_deletion_in_delete_mode()
    {
        var state = Marked(Collected("a", "b"), ["a"], []);
        var plan = Plan(Listing("a", "b"), state, DeleteMode());
        Assert.Equal([1], Numbers(plan.Fetch));
        var d = Assert.Single(plan.Delete);
        Assert.Equal((2, DeletionReason.NotLeftOnServer), (d.Message.Number, d.Reason));
        Assert.True(plan.DeleteAfterFetch);
    }

    [Fact]
    public void Delete_mark_wins_over_expiry()
    {
        var state = Marked(Collected(TimeSpan.FromDays(30), "a"), [], ["a"]);
        var d = Assert.Single(Plan(Listing("a"), state, Leave(days: 7)).Delete);
        Assert.Equal(DeletionReason.OperatorMark, d.Reason);
    }

    [Fact]
    public void Unlisted_marks_of_never_collected_uidls_are_reported_vanished_and_collected_ones_absent()
    {
        var state = Marked(Collected("a", "gone"), ["gone"], ["never-collected"]);
        var plan = Plan(Listing("a"), state, Leave());
        Assert.Equal(["never-collected"], plan.Vanished);
        Assert.Equal(["gone"], plan.Absent);
        Assert.Empty(plan.Fetch);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void Marks_do_not_matter_without_uidl_support()
    {
        var state = Marked(Collected("a"), [], ["a"]);
        var plan = Plan(Listing("a", "b"), state, new CollectionOptions(false, null, false, false));
        Assert.Equal([1, 2], Numbers(plan.Fetch));
        Assert.Empty(plan.Delete);
        Assert.Empty(plan.Vanished);
    }

    internal static AccountState Marked(AccountState state, string[] download, string[] delete)
    {
        var marks = state.Marks;
        foreach (var u in download)
        {
            marks = marks.SetItem(u, MessageMark.Download);
        }

        foreach (var u in delete)
        {
            marks = marks.SetItem(u, MessageMark.Delete);
        }

        return state with { Marks = marks };
    }
}
