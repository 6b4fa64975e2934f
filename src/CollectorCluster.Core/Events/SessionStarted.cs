namespace CollectorCluster.Core.Events;

/// <summary>
/// Written before an account dials its POP3 server: the fence that keeps one session per mailbox across a cluster.
/// With a shared journal, two incarnations of one account (a stale node during a partition, say) compete for the
/// same next sequence number; the loser's write fails, and it stops before it connects (or aborts the session it has).
/// Changes no state.
/// </summary>
/// <param name="At">When the session was started.</param>
public sealed record SessionStarted(DateTimeOffset At) : IAccountEvent;
