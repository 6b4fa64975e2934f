using CollectorCluster.Core.Planning;
using CollectorCluster.Core.State;
using static CollectorCluster.Core.Tests.Planning.PlanFixtures;

namespace CollectorCluster.Core.Tests.Planning;

/// <summary>Randomized (fixed-seed) invariants of the planner, plus a scale check for 100k-message mailboxes.</summary>
public class CollectionPlannerPropertyTests
{
    private sealed record Case(ListedMessage[] Listing, AccountState State, CollectionOptions Options);

    private static Case RandomCase(Random rng)
    {
        var n = rng.Next(0, 40);
        var pool = rng.Next(1, 60);
        var numbers = Enumerable.Range(1, n).OrderBy(_ => rng.Next()).ToArray(); // shuffled server order
        var listing = numbers.Select(num =>
        {
            var r = rng.NextDouble();
            var uidl = r < 0.08 ? null : r < 0.1 ? string.Empty : "u" + rng.Next(pool);
            return new ListedMessage(num, uidl, rng.Next(0, 6) * 100);
        }).ToArray();
        var collected = Enumerable.Range(0, rng.Next(0, pool + 5))
            .Select(_ => ("u" + rng.Next(pool + 10), Now - TimeSpan.FromHours(rng.Next(-48, 24 * 10))))
            .DistinctBy(x => x.Item1)
            .ToArray();
        int? days = rng.Next(6) switch { 0 => null, 1 => 0, 2 => -2, _ => rng.Next(1, 8) };
        var options = new CollectionOptions(rng.Next(2) == 0, days, rng.Next(2) == 0, rng.Next(8) != 0);
        var marks = Enumerable.Range(0, rng.Next(0, 8))
            .Select(_ => ("u" + rng.Next(pool + 10), rng.Next(2) == 0 ? MessageMark.Download : MessageMark.Delete))
            .DistinctBy(x => x.Item1)
            .ToArray();
        var state = Collected(collected);
        state = state with { Marks = state.Marks.AddRange(marks.Select(m => new KeyValuePair<string, MessageMark>(m.Item1, m.Item2))) };
        return new Case(listing, state, options);
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(0, 10).Select(s => new object[] { s * 7919 });

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Invariants_hold_for_random_listings(int seed)
    {
        var rng = new Random(seed);
        for (var i = 0; i < 50; i++)
        {
            var c = RandomCase(rng);
            var plan = CollectionPlanner.Plan(c.Listing, c.State, c.Options, Now);
            CheckInvariants(c, plan);
            CheckAgainstModel(c, plan);
        }
    }

    private static void CheckInvariants(Case c, CollectionPlan plan)
    {
        var (listing, state, options) = (c.Listing, c.State, c.Options);
        var byNumber = listing.ToDictionary(m => m.Number);
        var fetchNumbers = Numbers(plan.Fetch);
        var deleteNumbers = Numbers(plan.Delete);

        // Fetch holds each listed message at most once, with its listed size, and either its UIDL or null.
        Assert.Equal(fetchNumbers.Length, fetchNumbers.Distinct().Count());
        Assert.All(plan.Fetch, f =>
        {
            var listed = byNumber[f.Number];
            Assert.Equal(listed.Size, f.Size);
            Assert.True(f.Uidl is null || f.Uidl == listed.Uidl);
        });

        // Order rule.
        for (var i = 1; i < plan.Fetch.Count; i++)
        {
            var (a, b) = (plan.Fetch[i - 1], plan.Fetch[i]);
            if (options.DownloadSmallestFirst)
            {
                Assert.True(a.Size < b.Size || (a.Size == b.Size && a.Number < b.Number));
            }
            else
            {
                Assert.True(a.Number < b.Number);
            }
        }

        // Never both fetched and deleted; deletions are listed lines, each once, ordered.
        Assert.Empty(fetchNumbers.Intersect(deleteNumbers));
        Assert.Equal(deleteNumbers.Order(), deleteNumbers);
        Assert.Equal(deleteNumbers.Length, deleteNumbers.Distinct().Count());
        Assert.All(plan.Delete, d => Assert.Equal(byNumber[d.Message.Number], d.Message));

        if (!options.ServerSupportsUidl && options.LeaveMailOnServer)
        {
            Assert.Empty(plan.Fetch);
            Assert.Empty(plan.Delete);
            Assert.False(plan.DeleteAfterFetch);
            Assert.NotNull(plan.Refusal);
            return;
        }

        if (!options.ServerSupportsUidl)
        {
            Assert.Equal(listing.Select(m => m.Number).Order(), fetchNumbers.Order());
            Assert.All(plan.Fetch, f => Assert.Null(f.Uidl));
            Assert.True(plan.DeleteAfterFetch);
            Assert.Empty(plan.Delete);
            Assert.Empty(plan.Vanished);
            Assert.Single(plan.Warnings);
            return;
        }

        var listedUidls = listing.Where(m => !string.IsNullOrEmpty(m.Uidl)).Select(m => m.Uidl!).ToHashSet(StringComparer.Ordinal);

        bool MarkedAs(string? uidl, MessageMark mark) => uidl is not null && state.Marks.TryGetValue(uidl, out var m) && m == mark;

        // Fetch ∩ collected = ∅ for UIDL-keyed entries unless marked Download; Delete-marked lines are never fetched;
        // deletions are UIDL-keyed and collected or marked Delete.
        Assert.All(plan.Fetch.Where(f => f.Uidl is not null), f => Assert.True(!state.HasCollected(f.Uidl!) || MarkedAs(f.Uidl, MessageMark.Download)));
        Assert.All(plan.Fetch, f => Assert.False(MarkedAs(f.Uidl, MessageMark.Delete)));
        Assert.All(plan.Delete, d => Assert.True(state.HasCollected(d.Message.Uidl!) || MarkedAs(d.Message.Uidl, MessageMark.Delete)));
        Assert.All(plan.Delete, d => Assert.False(MarkedAs(d.Message.Uidl, MessageMark.Download)));

        // Absent ∪ Vanished = the collected or marked UIDLs not listed (nothing pending deletion here), disjoint, complete.
        Assert.Equal(state.Collected.Keys.Where(k => !listedUidls.Contains(k)).Order(StringComparer.Ordinal), plan.Absent);
        Assert.Equal(state.Marks.Keys.Where(k => !listedUidls.Contains(k) && !state.HasCollected(k)).Order(StringComparer.Ordinal), plan.Vanished);

        Assert.Equal(!options.LeaveMailOnServer, plan.DeleteAfterFetch);
        var expectedReason = options.LeaveMailOnServer ? DeletionReason.Expired : DeletionReason.NotLeftOnServer;
        Assert.All(plan.Delete, d => Assert.Equal(MarkedAs(d.Message.Uidl, MessageMark.Delete) ? DeletionReason.OperatorMark : expectedReason, d.Reason));

        // Every uncollected listed message is fetched, deleted by mark, or skipped-with-warning (leave mode, ambiguous).
        var ambiguous = listing.Where(m => string.IsNullOrEmpty(m.Uidl) || listing.Count(o => o.Uidl == m.Uidl) > 1).Select(m => m.Number).ToHashSet();
        var uncollected = listing.Where(m => string.IsNullOrEmpty(m.Uidl) || !state.HasCollected(m.Uidl)).Select(m => m.Number).Except(deleteNumbers);
        var skipped = uncollected.Except(fetchNumbers).ToArray();
        if (options.LeaveMailOnServer)
        {
            Assert.All(skipped, s => Assert.Contains(s, ambiguous));
            Assert.All(ambiguous, a => Assert.DoesNotContain(a, fetchNumbers.Concat(deleteNumbers)));
        }
        else
        {
            Assert.Empty(skipped);
            Assert.All(ambiguous, a => Assert.Contains(a, fetchNumbers));
        }

        Assert.Equal(ambiguous.Count > 0, plan.Warnings.Any(w => w.Contains("UIDL", StringComparison.Ordinal)));
    }

    /// <summary>A deliberately naive restatement of the rules (quadratic, fine for small cases).</summary>
    private static void CheckAgainstModel(Case c, CollectionPlan plan)
    {
        if (!c.Options.ServerSupportsUidl)
        {
            return;
        }

        var leave = c.Options.LeaveMailOnServer;
        bool Ambiguous(ListedMessage m) => string.IsNullOrEmpty(m.Uidl) || c.Listing.Count(o => o.Uidl == m.Uidl) > 1;
        MessageMark? Mark(ListedMessage m) => !Ambiguous(m) && c.State.Marks.TryGetValue(m.Uidl!, out var k) ? k : null;
        var fetch = c.Listing
            .Where(m => Ambiguous(m) ? !leave : Mark(m) != MessageMark.Delete && (!c.State.HasCollected(m.Uidl!) || Mark(m) == MessageMark.Download))
            .Select(m => Ambiguous(m) ? m with { Uidl = null } : m);
        fetch = c.Options.DownloadSmallestFirst ? fetch.OrderBy(m => m.Size).ThenBy(m => m.Number) : fetch.OrderBy(m => m.Number);
        Assert.Equal(fetch.ToArray(), plan.Fetch);

        var days = c.Options.DeleteAfterDays;
        var delete = c.Listing
            .Where(m => !Ambiguous(m) && Mark(m) != MessageMark.Download)
            .Where(m => Mark(m) == MessageMark.Delete || (c.State.HasCollected(m.Uidl!)
                && (!leave || (days >= 1 && c.State.Collected[m.Uidl!].FirstSeen.AddDays(days.Value) <= Now))))
            .OrderBy(m => m.Number)
            .Select(m => new PlannedDeletion(m, Mark(m) == MessageMark.Delete ? DeletionReason.OperatorMark : leave ? DeletionReason.Expired : DeletionReason.NotLeftOnServer));
        Assert.Equal(delete.ToArray(), plan.Delete);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Plans_100k_messages(bool leave, bool smallestFirst)
    {
        const int n = 100_000;
        var rng = new Random(42);
        var listing = Enumerable.Range(1, n).Select(i => new ListedMessage(i, "uidl-" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture), rng.Next(100, 10_000_000))).ToArray();

        // Half collected long ago, plus 50k that vanished; one duplicated UIDL pair and a few UIDL-less lines.
        listing[10] = listing[10] with { Uidl = listing[20].Uidl };
        listing[30] = listing[30] with { Uidl = null };
        var collected = listing.Where(m => m.Number % 2 == 0 && m.Uidl is not null).Select(m => m.Uidl!)
            .Concat(Enumerable.Range(0, 50_000).Select(i => "old-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            .Distinct()
            .ToArray();
        var state = Collected(TimeSpan.FromDays(30), collected);
        var options = new CollectionOptions(leave, 7, smallestFirst, true);

        var plan = CollectionPlanner.Plan(listing, state, options, Now);

        Assert.Equal(50_000, plan.Absent.Count);
        Assert.InRange(plan.Fetch.Count, leave ? 49_990 : 50_000, 50_010);
        Assert.InRange(plan.Delete.Count, 49_990, 50_000);
        Assert.Equal(2, plan.Warnings.Count);
    }

    [Fact]
    public void Plans_100k_duplicated_uidls()
    {
        var listing = Enumerable.Range(1, 100_000).Select(i => new ListedMessage(i, "d" + (i % 50_000).ToString(System.Globalization.CultureInfo.InvariantCulture), i)).ToArray();
        var plan = CollectionPlanner.Plan(listing, AccountState.Empty, Leave(), Now);
        Assert.Empty(plan.Fetch);
        Assert.Equal(50_000, plan.Warnings.Count);
    }
}
