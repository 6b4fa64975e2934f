using CollectorCluster.Core.Scheduling;

namespace CollectorCluster.Core.Tests.Scheduling;

/// <summary>When an idle account sleeps, and when it is woken.</summary>
public sealed class AccountSleepTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);
    private static readonly AccountSleep On = new(true, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10));

    [Theory]
    // seconds until the slot => seconds until the wake (null: stays awake)
    [InlineData(3600, 3590)]
    [InlineData(300, 290)] // exactly the minimum idle time
    [InlineData(299, null)]
    [InlineData(0, null)]
    [InlineData(-60, null)] // overdue: collect, don't sleep
    public void An_account_sleeps_only_when_its_slot_is_at_least_the_minimum_idle_time_away(int slotInSeconds, int? wakeInSeconds)
    {
        var wake = On.WakeAt(Now.AddSeconds(slotInSeconds), Now);
        Assert.Equal(wakeInSeconds is { } s ? Now.AddSeconds(s) : null, wake);
    }

    [Theory]
    // seconds from the wake time to the last session's start (null: never collected) => stale
    [InlineData(null, false)]
    [InlineData(-120, false)] // the session before the sleep
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(10, true)] // the session the wake was for ran already: an alarm that restarted sends it again
    public void A_wake_is_stale_once_a_session_started_at_or_after_its_wake_time(int? lastStartedInSeconds, bool stale)
    {
        Assert.Equal(stale, AccountSleep.IsStale(Now, lastStartedInSeconds is { } s ? Now.AddSeconds(s) : null));
    }

    [Fact]
    public void Sleep_off_keeps_every_account_awake()
    {
        Assert.False(AccountSleep.Off.Enabled);
        Assert.Null(AccountSleep.Off.WakeAt(Now.AddDays(1), Now));
    }

    [Fact]
    public void A_wake_ahead_longer_than_the_idle_time_keeps_the_account_awake_rather_than_wake_it_in_the_past()
    {
        var sleep = new AccountSleep(true, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1));
        Assert.Null(sleep.WakeAt(Now.AddSeconds(30), Now));
        Assert.Equal(Now.AddMinutes(1), sleep.WakeAt(Now.AddMinutes(2), Now));
    }
}
