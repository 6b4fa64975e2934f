using CollectorCluster.Core.Commands;

namespace CollectorCluster.Core.Tests.Commands;

/// <summary>The command host's wait after wrong tokens: doubling per failure up to the cap, per peer, cleared by a success, bounded in size.</summary>
public class FailedAuthThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static FailedAuthThrottle Throttle(int maxPeers = 4096) => new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), maxPeers);

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(100, 60)]
    public void The_wait_doubles_per_failure_up_to_the_cap(int failures, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Throttle().Wait(failures));

    [Fact]
    public void A_peer_is_blocked_until_its_wait_passes_and_each_failure_counts()
    {
        var throttle = Throttle();
        Assert.Null(throttle.BlockedUntil("10.0.0.1", T0));
        Assert.Equal(T0.AddSeconds(1), throttle.Failed("10.0.0.1", T0));
        Assert.Equal((T0.AddSeconds(1), 1), throttle.BlockedUntil("10.0.0.1", T0.AddMilliseconds(999)));
        Assert.Null(throttle.BlockedUntil("10.0.0.1", T0.AddSeconds(1)));

        // Consecutive failures after each wait: 2 s, then 4 s.
        Assert.Equal(T0.AddSeconds(3), throttle.Failed("10.0.0.1", T0.AddSeconds(1)));
        Assert.Equal(T0.AddSeconds(7), throttle.Failed("10.0.0.1", T0.AddSeconds(3)));
        Assert.Equal((T0.AddSeconds(7), 3), throttle.BlockedUntil("10.0.0.1", T0.AddSeconds(6)));
    }

    [Fact]
    public void Peers_are_independent()
    {
        var throttle = Throttle();
        throttle.Failed("10.0.0.1", T0);
        Assert.Null(throttle.BlockedUntil("10.0.0.2", T0));
        Assert.NotNull(throttle.BlockedUntil("10.0.0.1", T0));
    }

    [Fact]
    public void A_success_clears_the_peer()
    {
        var throttle = Throttle();
        throttle.Failed("10.0.0.1", T0);
        throttle.Failed("10.0.0.1", T0.AddSeconds(1));
        throttle.Succeeded("10.0.0.1");
        Assert.Null(throttle.BlockedUntil("10.0.0.1", T0.AddSeconds(1)));
        Assert.Equal(T0.AddSeconds(3), throttle.Failed("10.0.0.1", T0.AddSeconds(2))); // back to the first wait
        Assert.Equal(1, throttle.Count);
    }

    [Fact]
    public void A_peer_quiet_for_the_longest_wait_past_its_block_starts_over()
    {
        var throttle = Throttle();
        var until = T0;
        for (var i = 0; i < 9; i++)
        {
            until = throttle.Failed("p", until); // each attempt right when the last wait ends
        }

        // 59 s after the block ended it still counts: the cap again.
        var next = throttle.Failed("p", until.AddSeconds(59));
        Assert.Equal(until.AddSeconds(59 + 60), next);
        // Quiet for the longest wait past that block: back to the first wait.
        Assert.Equal(next.AddSeconds(60 + 1), throttle.Failed("p", next.AddSeconds(60)));
    }

    [Fact]
    public void It_remembers_at_most_max_peers_dropping_the_one_unblocked_longest_ago()
    {
        var throttle = Throttle(maxPeers: 3);
        throttle.Failed("a", T0);
        throttle.Failed("b", T0.AddSeconds(10));
        throttle.Failed("c", T0.AddSeconds(20));
        throttle.Failed("d", T0.AddSeconds(30));
        Assert.Equal(3, throttle.Count);
        Assert.Null(throttle.BlockedUntil("a", T0));
        Assert.NotNull(throttle.BlockedUntil("d", T0.AddSeconds(30)));
    }

    [Fact]
    public void Bad_settings_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new FailedAuthThrottle(TimeSpan.Zero, TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new FailedAuthThrottle(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Throttle().Wait(0));
    }
}
