using System.Collections.Immutable;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Planning;
using CollectorCluster.Core.State;
using static CollectorCluster.Core.Tests.Planning.PlanFixtures;

namespace CollectorCluster.Core.Tests.Planning;

/// <summary>Mirror Mailbox diffing: both directions, the two-listing rule, the share guard and the empty listing.</summary>
public class MirrorPlannerTests
{
    private static MirrorPlan Mirror(string[] listing, string[] collected, string[] held, string[] absentBefore, double share = 1.0)
    {
        var state = Collected(collected) with { MirrorAbsent = absentBefore.ToImmutableHashSet(StringComparer.Ordinal) };
        var list = Listing(listing);
        var plan = CollectionPlanner.Plan(list, state, Leave(), Now);
        return MirrorPlanner.Plan(plan, list, state, held.ToHashSet(StringComparer.Ordinal), share);
    }

    public static TheoryData<string[], string[], string[], string[], double, string[], string[], string[], string[], string[], bool> Cases => new()
    {
        // listing, collected, held locally, absent before, share | local deletions, first absent, reappeared, local removals, vanished, needs operator
        { ["a", "b", "c"], ["a", "b", "c"], ["a", "b", "c"], [], 1.0, [], [], [], [], [], false }, // in sync
        { ["a", "b", "c"], ["a", "b", "c"], ["a", "c"], [], 1.0, ["b"], [], [], [], [], false }, // user deleted b locally
        { ["a", "b", "c", "n"], ["a", "b", "c"], ["a", "b", "c"], [], 1.0, [], [], [], [], [], false }, // n is new: fetched, not mirrored
        { ["a", "b"], ["a", "b", "c"], ["a", "b", "c"], [], 1.0, [], ["c"], [], [], [], false }, // c gone once: only noted
        { ["a", "b"], ["a", "b", "c"], ["a", "b", "c"], ["c"], 1.0, [], [], [], ["c"], [], false }, // c gone twice: local copy goes
        { ["a", "b", "c"], ["a", "b", "c"], ["a", "b", "c"], ["c"], 1.0, [], [], ["c"], [], [], false }, // c listed again: forgotten
        { ["a", "b"], ["a", "b", "c", "d"], ["a", "b", "c", "d"], ["c"], 1.0, [], ["d"], [], ["c"], [], false },
        { ["a", "b"], ["a", "b", "c"], ["a", "b"], ["c"], 1.0, [], [], [], ["c"], [], false }, // gone on both sides: removal is a no-op
        { ["a", "b", "c", "d"], ["a", "b", "c", "d"], ["a"], [], 0.5, [], [], [], [], [], true }, // 3 of 4 local deletions > 0.5
        { ["a", "b", "c", "d"], ["a", "b", "c", "d"], ["a", "b"], [], 0.5, ["c", "d"], [], [], [], [], false }, // 2 of 4 = 0.5: allowed
        { ["a"], ["a", "b", "c", "d"], ["a", "b", "c", "d"], ["b", "c", "d"], 0.5, [], [], [], [], [], true }, // 3 removals > 0.5: held back, kept
        { [], ["a", "b"], ["a", "b"], ["a", "b"], 1.0, [], [], [], [], [], true }, // server lists nothing: never wipes
        { [], ["a", "b"], ["a", "b"], [], 1.0, [], ["a", "b"], [], [], [], false }, // ... first time only noted
        { ["a", "a", "b"], ["a", "b"], ["b"], [], 1.0, [], [], [], [], [], false }, // ambiguous a: not mirrored
        { ["b"], ["b"], ["b"], ["zz"], 1.0, [], [], [], [], [], false }, // stale absentee not collected: ignored
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mirrors_both_ways_with_guards(
        string[] listing, string[] collected, string[] held, string[] absentBefore, double share,
        string[] localDeletions, string[] firstAbsent, string[] reappeared, string[] removals, string[] vanished, bool needsOperator)
    {
        var m = Mirror(listing, collected, held, absentBefore, share);
        Assert.Equal(localDeletions, m.LocalDeletions);
        Assert.Equal(firstAbsent, m.FirstAbsent);
        Assert.Equal(reappeared, m.Reappeared);
        Assert.Equal(removals, m.LocalRemovals);
        Assert.Equal(vanished, m.Plan.Vanished);
        Assert.Equal(needsOperator, m.NeedsOperator);
        Assert.Equal(localDeletions, m.Plan.Delete.Where(d => d.Reason == DeletionReason.MirroredLocalDeletion).Select(d => d.Message.Uidl));
        Assert.Equal(needsOperator, m.Plan.Warnings.Any(w => w.Contains("operator", StringComparison.Ordinal)));
    }

    [Fact]
    public void Already_planned_deletions_and_fetches_are_not_mirrored_twice()
    {
        var state = CollectionPlannerMarkTests.Marked(Collected(TimeSpan.FromDays(30), "a", "b", "c"), ["b"], []);
        var list = Listing("a", "b", "c");
        var plan = CollectionPlanner.Plan(list, state, Leave(days: 7), Now); // all three expired, b marked for download
        var m = MirrorPlanner.Plan(plan, list, state, new HashSet<string>(StringComparer.Ordinal), 1.0);
        Assert.Empty(m.LocalDeletions);
        Assert.Equal(plan.Delete, m.Plan.Delete);
        Assert.Equal(plan.Fetch, m.Plan.Fetch);
    }

    [Fact]
    public void Deletions_stay_in_message_number_order_with_other_reasons()
    {
        var state = CollectionPlannerMarkTests.Marked(Collected("a", "b", "c"), [], ["c"]);
        var list = Listing("a", "b", "c");
        var plan = CollectionPlanner.Plan(list, state, Leave(), Now);
        var m = MirrorPlanner.Plan(plan, list, state, new HashSet<string>(["b", "c"], StringComparer.Ordinal), 1.0);
        Assert.Equal([(1, DeletionReason.MirroredLocalDeletion), (3, DeletionReason.OperatorMark)], m.Plan.Delete.Select(d => (d.Message.Number, d.Reason)));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.01)]
    [InlineData(double.NaN)]
    public void Share_outside_zero_to_one_is_refused(double share) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Mirror(["a"], ["a"], ["a"], [], share));

    [Fact]
    public void Property_two_sessions_of_absence_are_needed_and_a_one_session_glitch_never_removes_anything()
    {
        var random = new Random(11);
        for (var round = 0; round < 300; round++)
        {
            var all = Enumerable.Range(0, random.Next(1, 20)).Select(i => $"u{i}").ToArray();
            var state = Collected(all);
            var held = all.ToHashSet(StringComparer.Ordinal);

            // Session 1 lists a random subset; session 2 lists everything again (the glitch is over).
            var first = all.Where(_ => random.Next(3) > 0).ToArray();
            var m1 = MirrorPlanner.Plan(CollectionPlanner.Plan(Listing(first), state, Leave(), Now), Listing(first), state, held, 1.0);
            Assert.Empty(m1.LocalRemovals);
            Assert.Empty(m1.Plan.Vanished);
            state = state.Apply(new MirrorAbsenceNoted(m1.FirstAbsent, m1.Reappeared, Now));

            var m2 = MirrorPlanner.Plan(CollectionPlanner.Plan(Listing(all), state, Leave(), Now), Listing(all), state, held, 1.0);
            Assert.Empty(m2.LocalRemovals);
            Assert.Equal(all.Except(first).Order(StringComparer.Ordinal), m2.Reappeared);
            state = state.Apply(new MirrorAbsenceNoted(m2.FirstAbsent, m2.Reappeared, Now));
            Assert.Empty(state.MirrorAbsent);
        }
    }
}
