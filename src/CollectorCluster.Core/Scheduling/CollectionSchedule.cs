using System.Security.Cryptography;
using System.Text;

namespace CollectorCluster.Core.Scheduling;

/// <summary>
/// Schedule arithmetic that keeps a fleet of accounts from all connecting at once (the seed's "staggering
/// connection times"), keeps each account at or below its configured rate, and backs off after failures.
/// Pure: the caller supplies the clock reading and the random sample.
/// </summary>
/// <remarks>
/// <para>Each account has a grid of slots <c>UnixEpoch + Phase(id, interval) + k·interval</c> (k any integer). The phase
/// comes from SHA-256 of the id, so accounts sharing an interval spread uniformly across it, and the same id gets the
/// same slots on every node and after every restart.</para>
/// <para>Jitter: <c>allowance = floor(jitterFraction · interval)</c> ticks and <c>jitter = min(floor(jitterSample ·
/// jitterFraction · interval), allowance)</c> ticks, so <c>0 ≤ jitter ≤ allowance ≤ interval / 2</c>.</para>
/// </remarks>
public static class CollectionSchedule
{
    /// <summary>The largest accepted jitter fraction.</summary>
    public const double MaxJitterFraction = 0.5;

    /// <summary>A stable offset in [0, <paramref name="interval"/>) for the account: the first 8 bytes of SHA-256 over
    /// the UTF-8 id, as an unsigned 64-bit fraction of the interval (no modulo bias).</summary>
    /// <exception cref="ArgumentException"><paramref name="accountId"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="interval"/> is not positive.</exception>
    public static TimeSpan Phase(string accountId, TimeSpan interval)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return TimeSpan.FromTicks(PhaseTicks(accountId, interval.Ticks));
    }

    /// <summary>
    /// When the account should next start a collection. Returned in UTC.
    /// </summary>
    /// <remarks>
    /// <para>The exact rule, with <c>L = lastStarted</c> and <c>allowance</c>, <c>jitter</c> as in the class remarks:</para>
    /// <list type="number">
    /// <item><description><c>slot</c> = the earliest grid slot with <c>slot ≥ now</c> and, when <c>L</c> is known,
    /// <c>slot ≥ L + ⌈(interval − allowance) / 2⌉</c>. That is, a run counts for the slot it started near: one that
    /// started from <c>(interval − allowance) / 2</c> before a slot to <c>(interval + allowance) / 2</c> after it
    /// (jitter and lateness included) is followed by the next slot.</description></item>
    /// <item><description><c>due = slot + jitter</c>.</description></item>
    /// <item><description>When <c>L</c> is known, <c>due = max(due, L + interval − allowance)</c>: the rate floor.</description></item>
    /// </list>
    /// <para>Consequences: (a) accounts with the same interval spread uniformly over it by id; (b) if every run starts
    /// at or after its due time, consecutive starts are at least <c>interval − allowance</c> apart; (c) a first run
    /// (<c>L</c> null) lands on the first slot at or after <c>now</c>, plus jitter, so a fleet restart does not start
    /// everything together; (d) <c>due ≥ now</c>, <c>due &gt; L</c>, and
    /// <c>due &lt; max(now, L + ⌈(interval − allowance) / 2⌉) + interval + allowance</c>; (e) <c>due</c> is non-decreasing in <c>now</c>
    /// and in <c>L</c>. A result equal to <c>now</c> means "due now".</para>
    /// <para>Lateness: a run that starts up to <c>allowance</c> after its slot (jitter included) keeps the next run on
    /// the grid. A later start (a long wait for a connection token) pushes the next run off the grid to the rate floor,
    /// and each following run moves back by up to <c>allowance</c> until it is on the grid again; a start more than
    /// <c>(interval + allowance) / 2</c> after its slot skips to the slot after next. So a
    /// <paramref name="jitterFraction"/> above zero (e.g. 0.05 to 0.1) is also the tolerance that keeps accounts on their
    /// staggered slots; with zero, any lateness carries over to later runs until it passes half an interval, where the
    /// schedule snaps back to the grid.</para>
    /// </remarks>
    /// <param name="accountId">The account's stable id.</param>
    /// <param name="interval">"Check mailbox every": positive.</param>
    /// <param name="now">The caller's clock reading.</param>
    /// <param name="lastStarted">When the last collection started; null when never run (or unknown).</param>
    /// <param name="jitterFraction">Share of the interval jitter may add, in [0, 0.5].</param>
    /// <param name="jitterSample">A uniform random sample in [0, 1) from the caller's random source.</param>
    /// <exception cref="ArgumentException"><paramref name="accountId"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A numeric argument is out of range, or the result would not be representable.</exception>
    public static DateTimeOffset NextDue(
        string accountId,
        TimeSpan interval,
        DateTimeOffset now,
        DateTimeOffset? lastStarted,
        double jitterFraction,
        double jitterSample)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        if (double.IsNaN(jitterFraction) || jitterFraction < 0 || jitterFraction > MaxJitterFraction)
        {
            throw new ArgumentOutOfRangeException(nameof(jitterFraction), jitterFraction, $"Must be in [0, {MaxJitterFraction}].");
        }

        if (double.IsNaN(jitterSample) || jitterSample < 0 || jitterSample >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(jitterSample), jitterSample, "Must be in [0, 1).");
        }

        long step = interval.Ticks;
        long allowance = (long)Math.Floor(jitterFraction * step);
        long jitter = Math.Min((long)Math.Floor(jitterSample * jitterFraction * step), allowance);
        Int128 phase = PhaseTicks(accountId, step);
        Int128 epoch = DateTimeOffset.UnixEpoch.UtcTicks;

        // Work in Int128 ticks since the Unix epoch, so nothing can overflow before the final range check.
        Int128 earliest = (Int128)now.UtcTicks - epoch;
        Int128? last = lastStarted is DateTimeOffset started ? (Int128)started.UtcTicks - epoch : null;
        long half = (step - allowance + 1) / 2; // ≥ 1, since allowance ≤ step / 2
        if (last is Int128 l && l + half > earliest)
        {
            earliest = l + half;
        }

        Int128 due = phase + (CeilingDiv(earliest - phase, step) * step) + jitter;
        if (last is Int128 l2 && l2 + step - allowance > due)
        {
            due = l2 + step - allowance;
        }

        Int128 utc = due + epoch;
        if (utc > DateTimeOffset.MaxValue.UtcTicks)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), interval, "The next due time is beyond DateTimeOffset.MaxValue.");
        }

        return new DateTimeOffset((long)utc, TimeSpan.Zero);
    }

    /// <summary>
    /// How long to wait after <paramref name="consecutiveFailures"/> failures in a row: zero for n ≤ 0, otherwise
    /// <c>min(baseDelay · 2^(n−1), maxDelay)</c>, computed without overflow for any n.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A delay is negative.</exception>
    public static TimeSpan BackoffDelay(int consecutiveFailures, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(baseDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, TimeSpan.Zero);
        if (consecutiveFailures <= 0 || baseDelay == TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        var shift = consecutiveFailures - 1;

        // base · 2^shift ≤ max  ⇔  base ≤ floor(max / 2^shift), for integers; shifts ≥ 63 leave max >> shift at 0.
        if (shift >= 63 || baseDelay.Ticks > (maxDelay.Ticks >> shift))
        {
            return maxDelay;
        }

        return TimeSpan.FromTicks(baseDelay.Ticks << shift);
    }

    private static long PhaseTicks(string accountId, long intervalTicks)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(accountId), hash);
        ulong h = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash);

        // floor(h · interval / 2^64): uniform over [0, interval).
        return (long)Math.BigMul(h, (ulong)intervalTicks, out _);
    }

    private static Int128 CeilingDiv(Int128 a, long b)
    {
        var q = a / b;
        return (a % b != 0 && a > 0) ? q + 1 : q;
    }
}
