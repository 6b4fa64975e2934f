using CollectorCluster.Core.Planning;
using static CollectorCluster.Core.Tests.Planning.PlanFixtures;

namespace CollectorCluster.Core.Tests.Planning;

/// <summary>commit-every: a session's first chunk, by messages and bytes, only when something is deleted.</summary>
public class CommitChunkerTests
{
    private static CollectionPlan Plan(string[] listing, string[] collected, CollectionOptions options) =>
        CollectionPlanner.Plan(Listing(listing), Collected(TimeSpan.FromDays(10), collected), options, Now);

    public static TheoryData<string[], string[], bool, int?, int, long, int[], int[], bool> Cases => new()
    {
        // listing, collected, leave, delete-after days, every messages, every bytes, chunk fetch, chunk delete, more
        { ["a:10", "b:10", "c:10", "d:10", "e:10"], [], false, null, 2, 0, [1, 2], [], true },
        { ["a:10", "b:10", "c:10", "d:10"], [], false, null, 2, 0, [1, 2], [], true },
        { ["a:10", "b:10"], [], false, null, 2, 0, [1, 2], [], false }, // exactly one chunk
        { ["a:10", "b:10", "c:10"], [], false, null, 0, 0, [1, 2, 3], [], false }, // never
        { ["a:10", "b:10", "c:10"], [], false, null, -1, -1, [1, 2, 3], [], false },
        { ["a:10", "b:30", "c:10", "d:10"], [], false, null, 0, 40, [1, 2], [], true }, // bytes reached at b
        { ["a:100", "b:10"], [], false, null, 0, 50, [1], [], true }, // one message over the byte limit goes alone
        { ["a:10", "b:10", "c:10"], [], true, null, 1, 0, [1, 2, 3], [], false }, // leave, nothing to delete: no split
        { ["a:10", "b:10", "c:10"], ["a", "b"], true, 7, 2, 0, [3], [1], true }, // fetch first, then expired deletions
        { ["a:10", "b:10", "c:10"], ["a", "b"], true, 7, 3, 0, [3], [1, 2], false },
        { ["a:10", "b:10", "c:10"], ["a", "b", "c"], true, 7, 2, 0, [], [1, 2], true },
        { ["a:10", "b:10", "c:10"], ["a"], false, null, 2, 0, [2, 3], [], true }, // retried DELE of a collected one waits
        { ["a:10", "b:10", "c:10"], ["a"], false, null, 3, 0, [2, 3], [1], false },
        { ["a:10", "b:10", "c:10"], ["a"], false, null, 0, 15, [2, 3], [], true }, // byte limit reached: no room for DELEs
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void First_chunk(string[] listing, string[] collected, bool leave, int? days, int messages, long bytes, int[] fetch, int[] delete, bool more)
    {
        var plan = Plan(listing, collected, new CollectionOptions(leave, days, false, true));
        var chunk = CommitChunker.First(plan, new CommitEvery(messages, bytes));
        Assert.Equal(fetch, Numbers(chunk.Plan.Fetch));
        Assert.Equal(delete, Numbers(chunk.Plan.Delete));
        Assert.Equal(more, chunk.More);
        Assert.Equal(plan.DeleteAfterFetch, chunk.Plan.DeleteAfterFetch);
        Assert.Equal(plan.Vanished, chunk.Plan.Vanished);
        Assert.Equal(plan.Warnings, chunk.Plan.Warnings);
    }

    [Fact]
    public void Property_chunks_replanned_until_done_cover_the_plan_exactly_once_within_the_limits()
    {
        var random = new Random(7);
        for (var round = 0; round < 300; round++)
        {
            var listing = Enumerable.Range(0, random.Next(0, 40)).Select(i => $"m{i}:{random.Next(1, 500)}").ToArray();
            var every = new CommitEvery(random.Next(0, 8), random.Next(0, 3) == 0 ? 0 : random.Next(1, 2000));
            var plan = CollectionPlanner.Plan(Listing(listing), CollectorCluster.Core.State.AccountState.Empty, DeleteMode(random.Next(2) == 0), Now);
            var remaining = plan;
            var seen = new List<int>();
            for (var sessions = 0; ; sessions++)
            {
                Assert.True(sessions <= listing.Length + 1, "no progress");
                var chunk = CommitChunker.First(remaining, every);
                Assert.True(chunk.Plan.Fetch.Count >= 1 || remaining.Fetch.Count == 0);
                if (every.Messages > 0)
                {
                    Assert.True(chunk.Plan.Fetch.Count <= every.Messages);
                }

                if (every.Bytes > 0 && chunk.Plan.Fetch.Count > 1)
                {
                    Assert.True(chunk.Plan.Fetch.Take(chunk.Plan.Fetch.Count - 1).Sum(m => m.Size) < every.Bytes);
                }

                seen.AddRange(Numbers(chunk.Plan.Fetch));
                if (!chunk.More)
                {
                    break;
                }

                remaining = remaining with { Fetch = remaining.Fetch.Skip(chunk.Plan.Fetch.Count).ToList() };
            }

            Assert.Equal(Numbers(plan.Fetch), seen);
        }
    }
}
