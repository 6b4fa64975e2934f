namespace CollectorCluster.Core.Commands;

/// <summary>
/// Slows down guessing of the command host's token, per peer (an IP address): after a failed attempt the peer may
/// not try again for <c>delay</c>, doubled for each further consecutive failure up to <c>maxDelay</c>; an attempt
/// while blocked is refused without being checked, so the wait bounds the guesses. A success clears the peer; a
/// peer quiet for <c>maxDelay</c> past its block starts over. At most <c>maxPeers</c> peers are remembered (the
/// longest-unblocked go first), so many addresses cannot grow it without end. Not thread-safe: one owner calls it
/// under a lock. Pure: the clock is a parameter.
/// </summary>
public sealed class FailedAuthThrottle
{
    private readonly Dictionary<string, Entry> _peers = new(StringComparer.Ordinal);
    private readonly TimeSpan _delay;
    private readonly TimeSpan _maxDelay;
    private readonly int _maxPeers;

    /// <summary>Creates the throttle.</summary>
    /// <param name="delay">The wait after a first failure.</param>
    /// <param name="maxDelay">The longest wait, reached by doubling.</param>
    /// <param name="maxPeers">How many peers it remembers at most.</param>
    public FailedAuthThrottle(TimeSpan delay, TimeSpan maxDelay, int maxPeers = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(delay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, delay);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPeers, 1);
        _delay = delay;
        _maxDelay = maxDelay;
        _maxPeers = maxPeers;
    }

    /// <summary>How many peers it remembers now.</summary>
    public int Count => _peers.Count;

    /// <summary>When <paramref name="peer"/> may try again, with its consecutive failures; null when it may try now.</summary>
    public (DateTimeOffset Until, int Failures)? BlockedUntil(string peer, DateTimeOffset now) =>
        _peers.TryGetValue(peer, out var entry) && entry.Until > now ? (entry.Until, entry.Failures) : null;

    /// <summary>Records a failed attempt by <paramref name="peer"/>; returns until when it is blocked now.</summary>
    public DateTimeOffset Failed(string peer, DateTimeOffset now)
    {
        var failures = _peers.TryGetValue(peer, out var entry) && now - entry.Until < _maxDelay ? entry.Failures + 1 : 1;
        var wait = Wait(failures);
        var until = now + wait;
        _peers[peer] = new Entry(failures, until);
        if (_peers.Count > _maxPeers)
        {
            // Forget the peer whose block ended longest ago (never the one just recorded: its block is the latest or near it).
            var oldest = _peers.Where(p => p.Key != peer).MinBy(p => p.Value.Until).Key;
            _peers.Remove(oldest);
        }

        return until;
    }

    /// <summary>Records a successful attempt: the peer starts over.</summary>
    public void Succeeded(string peer) => _peers.Remove(peer);

    /// <summary>The wait after <paramref name="failures"/> consecutive failures: delay × 2^(failures−1), at most the maximum.</summary>
    public TimeSpan Wait(int failures)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        var wait = _delay;
        for (var i = 1; i < failures && wait < _maxDelay; i++)
        {
            wait += wait;
        }

        return wait < _maxDelay ? wait : _maxDelay;
    }

    private readonly record struct Entry(int Failures, DateTimeOffset Until);
}
