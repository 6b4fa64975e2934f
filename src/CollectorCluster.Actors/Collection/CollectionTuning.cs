using CollectorCluster.Core.Scheduling;
using CollectorCluster.Pop3;

namespace CollectorCluster.Actors.Collection;

/// <summary>Node-wide knobs of the collection loop (from <c>collector.*</c> in HOCON).</summary>
/// <param name="BatchMessages">Messages delivered before one journal write (and one directory fsync).</param>
/// <param name="BatchBytes">Bytes delivered before one journal write.</param>
/// <param name="RetryBase">First back-off after a failure; doubles per consecutive failure.</param>
/// <param name="RetryMax">Back-off ceiling.</param>
/// <param name="JitterFraction">Share of the interval added as random jitter to each slot.</param>
/// <param name="SnapshotEvery">Events between snapshots.</param>
public sealed record CollectionTuning(
    int BatchMessages,
    long BatchBytes,
    TimeSpan RetryBase,
    TimeSpan RetryMax,
    double JitterFraction,
    int SnapshotEvery)
{
    /// <summary>
    /// Sessions one round may open while each collects everything it listed (a server that lists only a window,
    /// like Gmail's ~250): the round goes on until a session finds nothing new, or this many ran. 1 = one session per round.
    /// </summary>
    public int MaxSessionsPerRound { get; init; } = 10;

    /// <summary>
    /// A session that collected everything it listed looks like a window only when it listed at least this many;
    /// below it the round ends, so an ordinary server costs one login per round, not two.
    /// </summary>
    public int RoundMinListed { get; init; } = 100;

    /// <summary>
    /// After a stop request (SIGTERM, Ctrl+C, a hand-off), how long the message in flight may take to finish before the
    /// session gives it up (it stays on the server) and ends, recording what it delivered.
    /// </summary>
    public TimeSpan StopGrace { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Keep every account event (<c>collector.keep-all-events</c>): an audit trail that grows with every session. Off (the
    /// default), the events a saved snapshot covers are deleted, so the journal holds one snapshot and the events after it.
    /// </summary>
    public bool KeepAllEvents { get; init; }

    /// <summary>What a POP3 server may send before a session is cut off (<c>collector.pop3</c>): line length, listing length, body slack, session deadline.</summary>
    public Pop3Limits Pop3 { get; init; } = Pop3Limits.Default;

    /// <summary>Whether idle accounts sleep (<c>collector.sleep</c>): off, every account keeps its actor.</summary>
    public AccountSleep Sleep { get; init; } = AccountSleep.Off;

    /// <summary>The knobs the account's schedule is computed with.</summary>
    public ScheduleTuning Schedule => new(JitterFraction, RetryBase, RetryMax);

    /// <summary>Defaults matching <c>hocon/collector.defaults.hocon</c>.</summary>
    public static readonly CollectionTuning Default = new(64, 16L * 1024 * 1024, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), 0.1, 1000);
}
