using System.Collections.Immutable;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Planning;
using CollectorCluster.Core.State;
using static CollectorCluster.Core.Tests.Planning.PlanFixtures;

namespace CollectorCluster.Core.Tests.Planning;

/// <summary>When an absent UIDL counts as gone: two committed listings, the first an hour or more before.</summary>
public class AbsenceRuleTests
{
    public static TheoryData<int?, int, bool> Cases => new()
    {
        // listings without it before (null: never noted), minutes since the first | gone now
        { null, 0, false }, // the first listing without it
        { 1, 0, false },
        { 1, 59, false },
        { 1, 60, true },
        { 1, 24 * 60, true },
        { 3, 5, false }, // many quick listings (commit-every chunks, retries) are not an hour
        { 3, 61, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Two_listings_and_an_hour(int? listingsBefore, int minutes, bool gone)
    {
        var state = Collected("a", "b");
        if (listingsBefore is { } n)
        {
            state = state with { Absent = ImmutableDictionary.Create<string, AbsenceRecord>(StringComparer.Ordinal).Add("a", new AbsenceRecord(Now.AddMinutes(-minutes), n)) };
        }

        var decision = AbsenceRule.Decide(state, ["a"], Now);
        Assert.Equal(gone ? ["a"] : [], decision.Gone);
        Assert.Equal(gone ? [] : ["a"], decision.Noted);
    }

    [Fact]
    public void One_glitching_listing_forgets_nothing_and_the_next_full_listing_clears_the_note()
    {
        // The old rule pruned every collected UIDL an (empty) listing lacked, so the next session collected all again.
        var state = Collected("a", "b", "c");
        var glitch = CollectionPlanner.Plan([], state, Leave(), Now);
        var decision = AbsenceRule.Decide(state, glitch.Absent, Now);
        Assert.Empty(decision.Gone);
        state = state.Apply(new AbsenceNoted(decision.Noted, glitch.Reappeared, Now));
        Assert.Equal(3, state.Collected.Count);

        var later = Now.AddHours(3);
        var full = CollectionPlanner.Plan(Listing("a", "b", "c"), state, Leave(), later);
        Assert.Empty(full.Fetch);
        Assert.Equal(["a", "b", "c"], full.Reappeared);
        state = state.Apply(new AbsenceNoted(AbsenceRule.Decide(state, full.Absent, later).Noted, full.Reappeared, later));
        Assert.Empty(state.Absent);
    }

    [Fact]
    public void A_message_deleted_on_the_server_is_pruned_after_the_second_listing_an_hour_later()
    {
        var state = Collected("a", "b");
        var first = CollectionPlanner.Plan(Listing("a"), state, Leave(), Now);
        state = state.Apply(new AbsenceNoted(AbsenceRule.Decide(state, first.Absent, Now).Noted, first.Reappeared, Now));
        Assert.Equal(new AbsenceRecord(Now, 1), state.Absent["b"]);

        var later = Now.AddMinutes(90);
        var second = AbsenceRule.Decide(state, CollectionPlanner.Plan(Listing("a"), state, Leave(), later).Absent, later);
        Assert.Equal(["b"], second.Gone);
        state = state.Apply(new MessagesVanished(second.Gone, later));
        Assert.False(state.HasCollected("b"));
        Assert.Empty(state.Absent);
    }
}
