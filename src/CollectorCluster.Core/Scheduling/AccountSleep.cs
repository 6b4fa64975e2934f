namespace CollectorCluster.Core.Scheduling;

/// <summary>
/// Idle accounts that sleep (<c>collector.sleep</c>): an account whose next slot is at least <see cref="MinIdle"/> away
/// stops its actor and leaves a wake time with its shard's alarm, which starts it again <see cref="WakeAhead"/> before
/// the slot. Memory for journal reads: a sleeping account costs its alarm entry, not an actor, and every wake is a
/// recovery (its snapshot and the events after it).
/// </summary>
/// <param name="Enabled">Idle accounts sleep.</param>
/// <param name="MinIdle">The shortest idle time worth a sleep (and the recovery after it).</param>
/// <param name="WakeAhead">How long before its slot an account is woken, so its recovery is done when the slot comes.</param>
public sealed record AccountSleep(bool Enabled, TimeSpan MinIdle, TimeSpan WakeAhead)
{
    /// <summary>Events after the last snapshot that a sleeping account may leave for its next recovery to replay; more, and it snapshots first.</summary>
    public const int MaxReplayAfterWake = 50;

    /// <summary>Accounts never sleep (the default).</summary>
    public static readonly AccountSleep Off = new(false, TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(10));

    /// <summary>
    /// When an idle account whose next slot is <paramref name="due"/> should be woken if it sleeps now, or null when it
    /// should stay awake: sleep is off, or the slot is less than <see cref="MinIdle"/> away.
    /// </summary>
    public DateTimeOffset? WakeAt(DateTimeOffset due, DateTimeOffset now) =>
        Enabled && due - now >= MinIdle && due - now > WakeAhead ? due - WakeAhead : null;

    /// <summary>
    /// True when a wake for <paramref name="wakeAt"/> is stale: a session started at or after it, so the slot it
    /// promised was taken already (an alarm that restarted can send one again); the account's own schedule stands.
    /// </summary>
    public static bool IsStale(DateTimeOffset wakeAt, DateTimeOffset? lastSessionStartedAt) =>
        lastSessionStartedAt >= wakeAt;
}
