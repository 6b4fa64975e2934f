namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// The CPU time of a session, as the process's user + system time from the session's start to its end
/// (<see cref="Environment.CpuUsage"/>), kept only when no other session of this node overlapped it: a session runs
/// on pool threads as its I/O completes, so no thread's clock is its own, and the process's delta is the session's
/// cost (plus whatever the node does meanwhile: journal, GC, timers) exactly when it ran alone. One meter per session;
/// the count of running sessions is the node's (static: one collector per process).
/// </summary>
public sealed class SessionCpuMeter
{
    private static int s_running;
    private static long s_started;

    private readonly TimeSpan _cpuAtStart;
    private readonly long _startedBefore;
    private readonly bool _aloneAtStart;
    private int _stopped;

    private SessionCpuMeter()
    {
        _aloneAtStart = Interlocked.Increment(ref s_running) == 1;
        _startedBefore = Interlocked.Increment(ref s_started);
        _cpuAtStart = Environment.CpuUsage.TotalTime;
    }

    /// <summary>Sessions started on this node so far (the test of "ran alone" compares it).</summary>
    public static long Started => Interlocked.Read(ref s_started);

    /// <summary>Starts measuring a session that starts now.</summary>
    public static SessionCpuMeter Start() => new();

    /// <summary>
    /// Ends the measure (once; later calls return null): the process CPU spent since <see cref="Start"/> when no other
    /// session ran at any time in between, else null (the delta would be shared).
    /// </summary>
    public TimeSpan? Stop()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return null;
        }

        var cpu = Environment.CpuUsage.TotalTime - _cpuAtStart;
        var alone = _aloneAtStart && Interlocked.Read(ref s_started) == _startedBefore;
        Interlocked.Decrement(ref s_running);
        return alone ? cpu : null;
    }
}
