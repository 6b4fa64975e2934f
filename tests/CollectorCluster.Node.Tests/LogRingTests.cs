using CollectorCluster.Node.CommandHost;
using Microsoft.Extensions.Logging;

namespace CollectorCluster.Node.Tests;

/// <summary>The log ring behind <c>log tail</c>: keeps the newest lines in order, feeds followers without gaps or repeats.</summary>
public sealed class LogRingTests
{
    [Fact]
    public void Tail_returns_the_newest_lines_oldest_first_and_drops_the_oldest_when_full()
    {
        var ring = new LogRing(3);
        Assert.Empty(ring.Tail(5));
        foreach (var line in new[] { "1", "2", "3", "4", "5" })
        {
            ring.Add(line);
        }

        Assert.Equal(["3", "4", "5"], ring.Tail(10));
        Assert.Equal(["4", "5"], ring.Tail(2));
        Assert.Empty(ring.Tail(0));
    }

    [Fact]
    public async Task A_follower_gets_the_tail_then_every_later_line_until_it_unsubscribes()
    {
        var ring = new LogRing(10);
        ring.Add("old-1");
        ring.Add("old-2");
        var (tail, next, subscription) = ring.Follow(1);
        Assert.Equal(["old-2"], tail);
        ring.Add("new-1");
        ring.Add("new-2");
        Assert.Equal("new-1", await next.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal("new-2", await next.ReadAsync(TestContext.Current.CancellationToken));
        subscription.Dispose();
        ring.Add("after");
        Assert.False(await next.WaitToReadAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public void The_logger_provider_writes_one_line_per_entry_with_level_category_and_exception_message()
    {
        var ring = new LogRing(10);
        using var provider = new LogRingLoggerProvider(ring);
        var logger = provider.CreateLogger("collector");
        logger.LogWarning("first\nsecond");
        logger.LogError(new InvalidOperationException("boom"), "failed");
        var lines = ring.Tail(10);
        Assert.Equal(2, lines.Count);
        Assert.EndsWith(" warn collector: first second", lines[0]);
        Assert.EndsWith(" fail collector: failed (InvalidOperationException: boom)", lines[1]);
    }
}
