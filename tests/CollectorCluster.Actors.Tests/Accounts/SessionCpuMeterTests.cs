using CollectorCluster.Actors.Accounts;

namespace CollectorCluster.Actors.Tests.Accounts;

/// <summary>
/// A session's CPU is the process's delta only when no other session overlapped it: overlapping sessions get none
/// (whatever else runs in this test process can only make a meter give none, never a shared figure).
/// </summary>
public sealed class SessionCpuMeterTests
{
    [Fact]
    public void Overlapping_sessions_have_no_cpu_figure()
    {
        var first = SessionCpuMeter.Start();
        var second = SessionCpuMeter.Start(); // starts while the first runs
        Assert.Null(second.Stop());
        Assert.Null(first.Stop()); // another session started while it ran
    }

    [Fact]
    public void A_session_that_started_while_another_ran_has_none_even_if_it_ends_last()
    {
        var first = SessionCpuMeter.Start();
        var second = SessionCpuMeter.Start();
        Assert.Null(first.Stop());
        Assert.Null(second.Stop());
    }

    [Fact]
    public void Stop_counts_once()
    {
        var before = SessionCpuMeter.Started;
        var meter = SessionCpuMeter.Start();
        Assert.True(SessionCpuMeter.Started > before);
        meter.Stop();
        Assert.Null(meter.Stop());
    }
}
