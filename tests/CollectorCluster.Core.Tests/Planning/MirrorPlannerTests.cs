using System.Collections.Immutable;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Planning;
using CollectorCluster.Core.State;
using static CollectorCluster.Core.Tests.Planning.PlanFixtures;

namespace CollectorCluster.Core.Tests.Planning;

/// <summary>Mirror Mailbox diffing: both directions, the two-listing rule, the share guard and the empty listing.</summary>
public class MirrorPlannerTests
{
    private static AccountState State(string[] collected, string[] absentBefore, TimeSpan? absentFor = null) =>
        Collected(collected) with
        {
            Absent = absentBefore.ToImmutableDictionary(u => u, _ => new AbsenceRecord(Now - (absentFor ?? TimeSpan.FromHours(2)), 1), StringComparer.Ordinal),
        };

    private static MirrorPlan Mirror(string[] listing, string[] collected, string[] held, string[] absentBefore, double share = 1.0, string? expire = null, TimeSpan? absentFor = null)
    {
        var state = State(collected, absentBefore, absentFor);
        var list = Listing(listing);
        var plan = CollectionPlanner.Plan(list, state, Leave(), Now);
        return MirrorPlanner.Plan(plan, list, state, held.ToHashSet(StringComparer.Ordinal), share, expire, Now);
    }

    public static TheoryData<string[], string[], string[], string[], double, string[], string[], string[], string[], bool> Cases => new()
    {
        // listing, collected, held locally, absent before (2 h ago, one listing), share | local deletions, noted, reappeared, local removals, needs operator
        { ["a", "b", "c"], ["a", "b", "c"], ["a", "b", "c"], [], 1.0, [], [], [], [], false }, // in sync
        { ["a", "b", "c"], ["a", "b", "c"], ["a", "c"], [], 1.0, ["b"], [], [], [], false }, // user deleted b locally
        { ["a", "b", "c", "n"], ["a", "b", "c"], ["a", "b", "c"], [], 1.0, [], [], [], [], false }, // n is new: fetched, not mirrored
        { ["a", "b"], ["a", "b", "c"], ["a", "b", "c"], [], 1.0, [], ["c"], [], [], false }, // c gone once: only noted
        { ["a", "b"], ["a", "b", "c"], ["a", "b", "c"], ["c"], 1.0, [], [], [], ["c"], false }, // c gone twice, an hour apart: local copy goes
        { ["a", "b", "c"], ["a", "b", "c"], ["a", "b", "c"], ["c"], 1.0, [], [], ["c"], [], false }, // c listed again: forgotten
        { ["a", "b"], ["a", "b", "c", "d"], ["a", "b", "c", "d"], ["c"], 1.0, [], ["d"], [], ["c"], false },
        { ["a", "b"], ["a", "b", "c"], ["a", "b"], ["c"], 1.0, [], [], [], ["c"], false }, // gone on both sides: removal is a no-op
        { ["a", "b", "c", "d"], ["a", "b", "c", "d"], ["a"], [], 0.5, [], [], [], [], true }, // 3 of 4 local deletions >= 0.5
        { ["a", "b", "c", "d"], ["a", "b", "c", "d"], ["a", "b"], [], 0.5, [], [], [], [], true }, // 2 of 4 = 0.5: at the share, held
        { ["a", "b", "c", "d"], ["a", "b", "c", "d"], ["a", "b", "c"], [], 0.5, ["d"], [], [], [], false }, // 1 of 4: below, mirrored
        { ["a"], ["a", "b", "c", "d"], ["a", "b", "c", "d"], ["b", "c", "d"], 0.5, [], ["b", "c", "d"], [], [], true }, // 3 removals: held back, noted
        { [], ["a", "b"], ["a", "b"], ["a", "b"], 1.0, [], ["a", "b"], [], [], true }, // server lists nothing: never wipes
        { [], ["a", "b"], ["a", "b"], [], 1.0, [], ["a", "b"], [], [], false }, // ... first time only noted
        { ["a", "a", "b"], ["a", "b"], ["b"], [], 1.0, [], [], [], [], false }, // ambiguous a: not mirrored
        { ["b"], ["b"], ["b"], ["zz"], 1.0, [], [], [], [], false }, // stale absentee not collected: ignored
        { ["a", "b", "c", "d"], ["a", "b", "c", "d", "e", "f", "g", "h"], ["a", "b", "c", "d", "e", "f", "g", "h"], ["e", "f", "g", "h"], 0.5, [], ["e", "f", "g", "h"], [], [], true }, // half hidden for good: held
        { ["a", "b", "c", "d", "e", "f", "g"], ["a", "b", "c", "d", "e", "f", "g", "h"], ["a", "b", "c", "d", "e", "f", "g", "h"], ["h"], 0.5, [], [], [], ["h"], false },
        { ["a", "b", "c", "d", "e"], ["a", "b", "c", "d", "e", "f", "g", "h"], ["a", "b", "c", "d", "e", "f", "g", "h"], ["h"], 0.5, [], ["f", "g"], [], ["h"], false }, // 3 of 8 missing < 4
        { ["a", "b", "c", "d"], ["a", "b", "c", "d", "e", "f", "g", "h"], ["a", "b", "c", "d", "e", "f", "g", "h"], ["h"], 0.5, [], ["e", "f", "g", "h"], [], [], true }, // 4 of 8 missing (3 hidden for the first time) count too
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Mirrors_both_ways_with_guards(
        string[] listing, string[] collected, string[] held, string[] absentBefore, double share,
        string[] localDeletions, string[] noted, string[] reappeared, string[] removals, bool needsOperator)
    {
        var m = Mirror(listing, collected, held, absentBefore, share);
        Assert.Equal(localDeletions, m.LocalDeletions);
        Assert.Equal(noted, m.Noted);
        Assert.Equal(reappeared, m.Reappeared);
        Assert.Equal(removals, m.LocalRemovals);
        Assert.Empty(m.Forget);
        Assert.Empty(m.Plan.Vanished);
        Assert.Equal(needsOperator, m.NeedsOperator);
        Assert.Equal(localDeletions, m.Plan.Delete.Where(d => d.Reason == DeletionReason.MirroredLocalDeletion).Select(d => d.Message.Uidl));
        Assert.Equal(needsOperator, m.Plan.Warnings.Any(w => w.Contains("operator", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(10, false)]
    [InlineData(59, false)]
    [InlineData(60, true)]
    [InlineData(600, true)]
    public void A_second_listing_removes_a_local_copy_only_an_hour_after_the_first(int minutesAgo, bool removed)
    {
        var m = Mirror(["a", "b"], ["a", "b", "c"], ["a", "b", "c"], ["c"], absentFor: TimeSpan.FromMinutes(minutesAgo));
        Assert.Equal(removed ? ["c"] : [], m.LocalRemovals);
        Assert.Equal(removed ? [] : ["c"], m.Noted);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("1", false)] // collected an hour ago: not yet a day, the server's EXPIRE 1 does not explain it
    [InlineData("NEVER", false)]
    [InlineData(null, false)]
    public void A_server_that_expires_retrieved_messages_explains_their_absence_they_are_forgotten_not_removed(string? expire, bool explained)
    {
        var m = Mirror(["a", "b"], ["a", "b", "c"], ["a", "b", "c"], ["c"], expire: expire);
        Assert.Equal(explained ? ["c"] : [], m.Forget);
        Assert.Equal(explained ? [] : ["c"], m.LocalRemovals);
        Assert.Equal(explained, m.Plan.Warnings.Any(w => w.Contains("EXPIRE", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_re_keyed_message_is_held_under_the_name_it_was_stored_as_and_not_taken_for_a_local_deletion()
    {
        var state = State(["new-a", "b"], []);
        state = state with { Collected = state.Collected.SetItem("new-a", state.Collected["new-a"] with { StoredAs = "old-a" }) };
        var list = Listing("new-a", "b");
        var plan = CollectionPlanner.Plan(list, state, Leave(), Now);

        var held = MirrorPlanner.Plan(plan, list, state, new HashSet<string>(["old-a", "b"], StringComparer.Ordinal), 1.0, null, Now);
        Assert.Empty(held.LocalDeletions);

        var deleted = MirrorPlanner.Plan(plan, list, state, new HashSet<string>(["new-a", "b"], StringComparer.Ordinal), 1.0, null, Now);
        Assert.Equal(["new-a"], deleted.LocalDeletions); // a file named after the new UIDL is not the one it was stored as
    }

    [Fact]
    public void Our_own_committed_deletion_is_never_an_absence()
    {
        var state = State(["a", "b", "c"], ["c"]) with
        {
            PendingDeletions = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal).Add("c", nameof(DeletionReason.Expired)),
        };
        var list = Listing("a", "b");
        var plan = CollectionPlanner.Plan(list, state, Leave(), Now);
        var m = MirrorPlanner.Plan(plan, list, state, new HashSet<string>(["a", "b", "c"], StringComparer.Ordinal), 1.0, null, Now);
        Assert.Equal(["c"], plan.Confirmed.Select(c => c.Uidl));
        Assert.Empty(m.LocalRemovals);
        Assert.Empty(m.Noted);
    }

    [Fact]
    public void Already_planned_deletions_and_fetches_are_not_mirrored_twice()
    {
        var state = CollectionPlannerMarkTests.Marked(Collected(TimeSpan.FromDays(30), "a", "b", "c"), ["b"], []);
        var list = Listing("a", "b", "c");
        var plan = CollectionPlanner.Plan(list, state, Leave(days: 7), Now); // all three expired, b marked for download
        var m = MirrorPlanner.Plan(plan, list, state, new HashSet<string>(StringComparer.Ordinal), 1.0, null, Now);
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
        var m = MirrorPlanner.Plan(plan, list, state, new HashSet<string>(["b", "c"], StringComparer.Ordinal), 1.0, null, Now);
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
    public void Property_a_glitch_of_any_number_of_listings_within_the_hour_never_removes_or_forgets_anything()
    {
        var random = new Random(11);
        for (var round = 0; round < 300; round++)
        {
            var all = Enumerable.Range(0, random.Next(1, 20)).Select(i => $"u{i}").ToArray();
            var state = Collected(all);
            var held = all.ToHashSet(StringComparer.Ordinal);
            var at = Now;

            // Several glitching listings within the hour, then everything listed again.
            for (var glitch = random.Next(1, 5); glitch > 0; glitch--)
            {
                var listed = all.Where(_ => random.Next(3) > 0).ToArray();
                var m = MirrorPlanner.Plan(CollectionPlanner.Plan(Listing(listed), state, Leave(), at), Listing(listed), state, held, 1.0, null, at);
                Assert.Empty(m.LocalRemovals);
                Assert.Empty(m.Forget);
                state = state.Apply(new AbsenceNoted(m.Noted, m.Reappeared, at));
                at += TimeSpan.FromMinutes(random.Next(0, 15));
            }

            var last = MirrorPlanner.Plan(CollectionPlanner.Plan(Listing(all), state, Leave(), at), Listing(all), state, held, 1.0, null, at);
            Assert.Empty(last.LocalRemovals);
            state = state.Apply(new AbsenceNoted(last.Noted, last.Reappeared, at));
            Assert.Empty(state.Absent);
            Assert.Equal(all.Length, state.Collected.Count);
        }
    }
}
