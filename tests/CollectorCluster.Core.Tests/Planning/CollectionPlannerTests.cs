using System.Collections.Immutable;
using CollectorCluster.Core.Planning;
using CollectorCluster.Core.State;
using static CollectorCluster.Core.Tests.Planning.PlanFixtures;

namespace CollectorCluster.Core.Tests.Planning;

/// <summary>Table-driven checks of every planner rule, one rule per test group.</summary>
public class CollectionPlannerTests
{
    private static CollectionPlan Plan(ListedMessage[] listing, AccountState state, CollectionOptions options) =>
        CollectionPlanner.Plan(listing, state, options, Now);

    // ---- Fetch and order ----

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Empty_listing_and_state_gives_an_empty_plan(bool leave)
    {
        var plan = Plan([], AccountState.Empty, new CollectionOptions(leave, null, true, true));
        Assert.Empty(plan.Fetch);
        Assert.Empty(plan.Delete);
        Assert.Empty(plan.Vanished);
        Assert.Empty(plan.Warnings);
        Assert.Equal(!leave, plan.DeleteAfterFetch);
    }

    public static TheoryData<string[], string[], bool, int[]> FetchCases => new()
    {
        // listing (uidl:size, numbered 1..n), collected, smallest first, expected fetch numbers in order
        { ["a:300", "b:100", "c:200"], [], false, [1, 2, 3] },
        { ["a:300", "b:100", "c:200"], [], true, [2, 3, 1] },
        { ["a:300", "b:100", "c:200"], ["b"], true, [3, 1] },
        { ["a:300", "b:100", "c:200"], ["a", "b", "c"], true, [] },
        { ["a:5", "b:5", "c:5", "d:1"], [], true, [4, 1, 2, 3] },
        { ["a:0", "b:0"], [], true, [1, 2] },
        { ["a:9", "b:1"], ["zzz"], false, [1, 2] },
        { ["a:1", "b:1"], ["A"], true, [1, 2] }, // ordinal: "A" is not "a"
    };

    [Theory]
    [MemberData(nameof(FetchCases))]
    public void Fetches_uncollected_in_the_configured_order(string[] listing, string[] collected, bool smallestFirst, int[] expected)
    {
        foreach (var options in new[] { Leave(smallestFirst: smallestFirst), DeleteMode(smallestFirst) })
        {
            var plan = Plan(Listing(listing), Collected(collected), options);
            Assert.Equal(expected, Numbers(plan.Fetch));
        }
    }

    [Theory]
    [InlineData(false, new[] { 1, 2, 3, 4 })]
    [InlineData(true, new[] { 4, 1, 3, 2 })]
    public void Order_does_not_depend_on_the_listings_order(bool smallestFirst, int[] expected)
    {
        ListedMessage[] listing = [new(3, "c", 50), new(1, "a", 50), new(4, "d", 10), new(2, "b", 70)];
        var plan = CollectionPlanner.Plan(listing, AccountState.Empty, Leave(smallestFirst: smallestFirst), Now);
        Assert.Equal(expected, Numbers(plan.Fetch));
    }

    [Fact]
    public void Fetch_entries_are_the_listed_lines_unchanged()
    {
        var listing = Listing("a:10", "b:20");
        var plan = Plan(listing, AccountState.Empty, Leave());
        Assert.Equal(listing, plan.Fetch);
    }

    // ---- Leave mail on server off ----

    [Fact]
    public void Delete_mode_deletes_listed_collected_messages_and_deletes_after_fetch()
    {
        var plan = Plan(Listing("a", "b", "c", "d"), Collected("d", "b", "gone"), DeleteMode());
        Assert.True(plan.DeleteAfterFetch);
        Assert.Equal([1, 3], Numbers(plan.Fetch));
        Assert.Equal([2, 4], Numbers(plan.Delete));
        Assert.All(plan.Delete, d => Assert.Equal(DeletionReason.NotLeftOnServer, d.Reason));
        Assert.Equal(["gone"], plan.Absent);
        Assert.Empty(plan.Vanished);
        Assert.Empty(plan.Warnings);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(0)]
    [InlineData(3)]
    public void Delete_mode_ignores_delete_after_days(int? days)
    {
        var plan = Plan(Listing("a"), Collected(TimeSpan.FromDays(1000), "a"), new CollectionOptions(false, days, true, true));
        var d = Assert.Single(plan.Delete);
        Assert.Equal(DeletionReason.NotLeftOnServer, d.Reason);
        Assert.Empty(plan.Warnings);
    }

    [Fact]
    public void Leave_mode_never_deletes_after_fetch_nor_without_expiry()
    {
        var plan = Plan(Listing("a", "b"), Collected(TimeSpan.FromDays(10_000), "a"), Leave());
        Assert.False(plan.DeleteAfterFetch);
        Assert.Empty(plan.Delete);
        Assert.Equal([2], Numbers(plan.Fetch));
    }

    // ---- Delete after N days ----

    public static TheoryData<int, long, bool> ExpiryCases => new()
    {
        // days, age in ticks, expired
        { 1, TimeSpan.TicksPerDay, true },
        { 1, TimeSpan.TicksPerDay - 1, false },
        { 1, TimeSpan.TicksPerDay + 1, true },
        { 7, 7 * TimeSpan.TicksPerDay, true },
        { 7, (7 * TimeSpan.TicksPerDay) - 1, false },
        { 7, 0, false },
        { 1, -TimeSpan.TicksPerDay * 3, false }, // first seen in the future (clock step): never expired
        { int.MaxValue, 3650 * TimeSpan.TicksPerDay, false },
        { 3650, 3650 * TimeSpan.TicksPerDay, true },
    };

    [Theory]
    [MemberData(nameof(ExpiryCases))]
    public void Expires_when_first_seen_plus_days_is_at_or_before_now(int days, long ageTicks, bool expired)
    {
        var plan = Plan(Listing("a", "new"), Collected(TimeSpan.FromTicks(ageTicks), "a"), Leave(days));
        Assert.Equal([2], Numbers(plan.Fetch));
        Assert.Empty(plan.Warnings);
        if (expired)
        {
            var d = Assert.Single(plan.Delete);
            Assert.Equal(new PlannedDeletion(new ListedMessage(1, "a", 100), DeletionReason.Expired), d);
        }
        else
        {
            Assert.Empty(plan.Delete);
        }
    }

    [Fact]
    public void Expiry_uses_first_seen_not_collected_at()
    {
        var firstSeen = Now - TimeSpan.FromDays(5);
        var state = AccountState.Empty.Apply(new Events.MessageCollected("a", 1, firstSeen, Now, false));
        Assert.Single(Plan(Listing("a"), state, Leave(5)).Delete);
        Assert.Empty(Plan(Listing("a"), state, Leave(6)).Delete);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void Non_positive_delete_after_days_means_never_with_a_warning(int days)
    {
        var plan = Plan(Listing("a", "b"), Collected(TimeSpan.FromDays(10_000), "a"), Leave(days));
        Assert.Empty(plan.Delete);
        Assert.Equal([2], Numbers(plan.Fetch));
        var w = Assert.Single(plan.Warnings);
        Assert.Contains($"after {days} days", w);
        Assert.Contains("automatic deletion is off", w);
    }

    [Fact]
    public void Expired_deletions_are_ordered_by_number_and_only_listed()
    {
        var old = Now - TimeSpan.FromDays(40);
        var state = Collected(("c", old), ("a", old), ("b", Now), ("gone", old));
        var plan = Plan(Listing("c", "b", "a"), state, Leave(30));
        Assert.Equal([1, 3], Numbers(plan.Delete));
        Assert.Equal(["gone"], plan.Absent);
    }

    // ---- Absent, confirmed and vanished ----

    [Fact]
    public void Absent_is_every_collected_uidl_not_listed_in_ordinal_order_and_nothing_is_forgotten_at_once()
    {
        var plan = Plan(Listing("b", "x"), Collected("b", "z", "a", "B", "c"), Leave());
        Assert.Equal(["B", "a", "c", "z"], plan.Absent);
        Assert.Empty(plan.Vanished);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Empty_listing_reports_all_collected_as_absent(bool leave)
    {
        var plan = Plan([], Collected("a", "b"), new CollectionOptions(leave, 3, true, true));
        Assert.Equal(["a", "b"], plan.Absent);
        Assert.Empty(plan.Vanished);
        Assert.Empty(plan.Fetch);
        Assert.Empty(plan.Delete);
    }

    [Fact]
    public void A_duplicated_uidl_is_still_listed_so_not_absent()
    {
        var plan = Plan(Listing("a", "a"), Collected("a"), Leave());
        Assert.Empty(plan.Absent);
        Assert.Empty(plan.Vanished);
    }

    public static TheoryData<string[], string[], string[], string[], string[], string[], string[]> AbsenceCases => new()
    {
        // listing, collected, noted absent before, pending deletions | absent, reappeared, confirmed
        { ["a", "b"], ["a", "b"], [], [], [], [], [] },
        { ["a"], ["a", "b"], [], [], ["b"], [], [] },
        { ["a"], ["a", "b"], ["b"], [], ["b"], [], [] }, // still absent: the rule decides, the planner only reports
        { ["a", "b"], ["a", "b"], ["b"], [], [], ["b"], [] }, // listed again
        { ["a"], ["a", "b"], [], ["b"], [], [], ["b"] }, // our own DELE, committed by an earlier QUIT
        { ["a", "b"], ["a", "b"], [], ["b"], [], [], [] }, // intended but still listed: not committed, replanned
        { [], ["a", "b"], ["a"], ["b"], ["a"], [], ["b"] },
        { ["a"], ["a"], [], ["x"], [], [], ["x"] }, // a pending deletion of a never-collected (marked) UIDL
    };

    [Theory]
    [MemberData(nameof(AbsenceCases))]
    public void Absences_reappearances_and_confirmed_deletions(
        string[] listing, string[] collected, string[] notedBefore, string[] pending, string[] absent, string[] reappeared, string[] confirmed)
    {
        var state = Collected(collected) with
        {
            Absent = notedBefore.ToImmutableDictionary(u => u, _ => new AbsenceRecord(Now.AddHours(-2), 1), StringComparer.Ordinal),
            PendingDeletions = pending.ToImmutableDictionary(u => u, _ => nameof(DeletionReason.Expired), StringComparer.Ordinal),
        };
        var plan = Plan(Listing(listing), state, Leave());
        Assert.Equal(absent, plan.Absent);
        Assert.Equal(reappeared, plan.Reappeared);
        Assert.Equal(confirmed, plan.Confirmed.Select(c => c.Uidl));
        Assert.All(plan.Confirmed, c => Assert.Equal(nameof(DeletionReason.Expired), c.Reason));
        Assert.Empty(plan.Vanished);
    }

    // ---- No UIDL support ----

    [Theory]
    [InlineData(null, true)]
    [InlineData(3, false)]
    public void Without_uidl_delete_mode_fetches_everything_and_deletes_after(int? days, bool smallestFirst)
    {
        ListedMessage[] listing = [new(1, null, 30), new(2, null, 10), new(3, null, 20)];
        var plan = CollectionPlanner.Plan(listing, Collected(TimeSpan.FromDays(100), "a", "b"), new CollectionOptions(false, days, smallestFirst, false), Now);
        Assert.Equal(smallestFirst ? [2, 3, 1] : [1, 2, 3], Numbers(plan.Fetch));
        Assert.True(plan.DeleteAfterFetch);
        Assert.Empty(plan.Delete);
        Assert.Empty(plan.Vanished);
        Assert.Empty(plan.Absent);
        Assert.Null(plan.Refusal);
        var w = Assert.Single(plan.Warnings);
        Assert.Contains("does not support UIDL", w);
        Assert.Contains("deleted from the server after collection", w);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(3)]
    public void Without_uidl_leave_on_server_is_never_turned_into_delete_mode_the_operator_is_needed(int? days)
    {
        ListedMessage[] listing = [new(1, null, 30), new(2, null, 10), new(3, null, 20)];
        var plan = CollectionPlanner.Plan(listing, Collected(TimeSpan.FromDays(100), "a", "b"), new CollectionOptions(true, days, true, false), Now);
        Assert.Empty(plan.Fetch);
        Assert.False(plan.DeleteAfterFetch);
        Assert.Empty(plan.Delete);
        Assert.Empty(plan.Absent);
        Assert.Equal(CollectionPlanner.NoUidlRefusal, plan.Refusal);
        Assert.Contains("does not support UIDL", plan.Refusal);
        Assert.Contains("leave-mail-on-server", plan.Refusal);
        Assert.Equal([plan.Refusal!], plan.Warnings);
    }

    [Fact]
    public void Without_uidl_support_listed_uidls_are_dropped_so_delivery_keys_by_content()
    {
        var plan = CollectionPlanner.Plan(Listing("a", "b"), Collected("a"), new CollectionOptions(false, null, false, false), Now);
        Assert.Equal([new ListedMessage(1, null, 100), new ListedMessage(2, null, 100)], plan.Fetch);
    }

    // ---- Ambiguous lines: duplicate or missing UIDLs ----

    [Fact]
    public void Leave_mode_skips_duplicated_uidls_with_a_warning_naming_them()
    {
        var old = TimeSpan.FromDays(100);
        var plan = Plan(Listing("x", "dup", "y", "dup", "ok", "dup"), Collected(old, "x", "dup"), Leave(1));
        Assert.Equal([3, 5], Numbers(plan.Fetch));
        Assert.Equal([1], Numbers(plan.Delete)); // "x" expired; "dup" is never deleted while ambiguous
        var w = Assert.Single(plan.Warnings);
        Assert.Equal(
            "UIDL \"dup\" is listed for messages 2, 4 and 6 (a server fault): they are skipped, neither fetched nor deleted, while the UIDL is ambiguous.",
            w);
    }

    [Fact]
    public void Delete_mode_collects_duplicated_uidls_by_content()
    {
        var plan = Plan(Listing("dup:50", "a:10", "dup:5"), Collected("dup", "a"), DeleteMode(smallestFirst: true));
        Assert.Equal([new ListedMessage(3, null, 5), new ListedMessage(1, null, 50)], plan.Fetch);
        Assert.Equal([2], Numbers(plan.Delete));
        Assert.True(plan.DeleteAfterFetch);
        var w = Assert.Single(plan.Warnings);
        Assert.Equal(
            "UIDL \"dup\" is listed for messages 1 and 3 (a server fault): they are collected by content instead of UIDL and deleted after collection.",
            w);
    }

    [Fact]
    public void One_warning_per_duplicated_uidl_ordered_by_first_message_number()
    {
        var plan = Plan(Listing("q", "p", "q", "p", "r", "r", "r"), AccountState.Empty, Leave());
        Assert.Empty(plan.Fetch);
        Assert.Equal(3, plan.Warnings.Count);
        Assert.StartsWith("UIDL \"q\" is listed for messages 1 and 3 ", plan.Warnings[0]);
        Assert.StartsWith("UIDL \"p\" is listed for messages 2 and 4 ", plan.Warnings[1]);
        Assert.StartsWith("UIDL \"r\" is listed for messages 5, 6 and 7 ", plan.Warnings[2]);
    }

    [Theory]
    [InlineData("-")]
    [InlineData("")]
    public void Leave_mode_skips_lines_without_uidl(string missing)
    {
        var plan = Plan(Listing("a", missing, "b"), AccountState.Empty, Leave());
        Assert.Equal([1, 3], Numbers(plan.Fetch));
        Assert.Equal(
            "Message 2 listed without a UIDL: skipped, since Leave Mail on Server needs a UIDL to recognise a message later.",
            Assert.Single(plan.Warnings));
    }

    [Theory]
    [InlineData("-")]
    [InlineData("")]
    public void Delete_mode_collects_lines_without_uidl_by_content(string missing)
    {
        var plan = Plan(Listing("a:30", missing + ":20", "b:10", missing + ":40"), Collected("b"), DeleteMode(smallestFirst: true));
        Assert.Equal([new ListedMessage(2, null, 20), new ListedMessage(1, "a", 30), new ListedMessage(4, null, 40)], plan.Fetch);
        Assert.Equal([3], Numbers(plan.Delete));
        Assert.Equal(
            "Messages 2 and 4 listed without a UIDL: collected by content and deleted after collection.",
            Assert.Single(plan.Warnings));
    }

    [Fact]
    public void Long_number_lists_are_capped_in_warnings()
    {
        var specs = Enumerable.Repeat("-", 12).ToArray();
        var plan = Plan(Listing(specs), AccountState.Empty, Leave());
        Assert.StartsWith("Messages 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more listed without a UIDL", Assert.Single(plan.Warnings));
    }

    [Fact]
    public void Warnings_come_in_a_fixed_order_settings_then_duplicates_then_missing()
    {
        var plan = Plan(Listing("-", "d", "d"), AccountState.Empty, Leave(0));
        Assert.Equal(3, plan.Warnings.Count);
        Assert.Contains("automatic deletion is off", plan.Warnings[0]);
        Assert.StartsWith("UIDL \"d\"", plan.Warnings[1]);
        Assert.StartsWith("Message 1 listed without a UIDL", plan.Warnings[2]);
    }

    [Fact]
    public void All_lines_without_uidl_while_the_server_claims_support_is_the_missing_case()
    {
        var plan = Plan(Listing("-", "-"), AccountState.Empty, Leave());
        Assert.Empty(plan.Fetch);
        Assert.Single(plan.Warnings);
        plan = Plan(Listing("-", "-"), AccountState.Empty, DeleteMode());
        Assert.Equal([1, 2], Numbers(plan.Fetch));
        Assert.True(plan.DeleteAfterFetch);
    }

    // ---- Validation and determinism ----

    public static TheoryData<ListedMessage[], string> InvalidListings => new()
    {
        { [new(1, "a", 1), new(1, "b", 1)], "listed twice" },
        { [new(0, "a", 1)], "not positive" },
        { [new(-3, "a", 1)], "not positive" },
        { [new(1, "a", -1)], "negative size" },
    };

    [Theory]
    [MemberData(nameof(InvalidListings))]
    public void Invalid_listings_are_rejected(ListedMessage[] listing, string message)
    {
        var ex = Assert.Throws<ArgumentException>("listing", () => CollectionPlanner.Plan(listing, AccountState.Empty, Leave(), Now));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void Null_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>("listing", () => CollectionPlanner.Plan(null!, AccountState.Empty, Leave(), Now));
        Assert.Throws<ArgumentNullException>("listing", () => CollectionPlanner.Plan([null!], AccountState.Empty, Leave(), Now));
        Assert.Throws<ArgumentNullException>("state", () => CollectionPlanner.Plan([], null!, Leave(), Now));
        Assert.Throws<ArgumentNullException>("options", () => CollectionPlanner.Plan([], AccountState.Empty, null!, Now));
    }

    [Fact]
    public void Same_input_gives_the_same_plan_whatever_the_listing_order()
    {
        var listing = Listing("e:5", "d", "-", "d", "c:1", "b:5", "a:5", "-");
        var state = Collected(TimeSpan.FromDays(9), "a", "z", "y");
        var reversed = listing.Reverse().ToArray();
        foreach (var options in new[] { Leave(3, true), Leave(null, false), DeleteMode(true), DeleteMode(false), new CollectionOptions(true, 1, true, false) })
        {
            var p1 = CollectionPlanner.Plan(listing, state, options, Now);
            var p2 = CollectionPlanner.Plan(reversed, state, options, Now);
            Assert.Equal(p1.Fetch, p2.Fetch);
            Assert.Equal(p1.Delete, p2.Delete);
            Assert.Equal(p1.Vanished, p2.Vanished);
            Assert.Equal(p1.Warnings, p2.Warnings);
            Assert.Equal(p1.DeleteAfterFetch, p2.DeleteAfterFetch);
        }
    }
}
