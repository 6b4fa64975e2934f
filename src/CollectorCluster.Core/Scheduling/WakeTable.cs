namespace CollectorCluster.Core.Scheduling;

/// <summary>
/// When each sleeping account must be woken: one entry per account (a later sleep replaces its earlier one), taken in
/// wake-time order. Pure and not thread-safe; its owner (one alarm per shard) is an actor.
/// </summary>
public sealed class WakeTable
{
    private readonly Dictionary<string, DateTimeOffset> _byAccount = new(StringComparer.Ordinal);
    private readonly SortedSet<(DateTimeOffset At, string AccountId)> _byTime = new(Comparer<(DateTimeOffset At, string AccountId)>.Create(
        (a, b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.AccountId, b.AccountId)));

    /// <summary>How many accounts sleep.</summary>
    public int Count => _byAccount.Count;

    /// <summary>The earliest wake time, or null when nobody sleeps.</summary>
    public DateTimeOffset? Earliest => _byTime.Count == 0 ? null : _byTime.Min.At;

    /// <summary>True when <paramref name="accountId"/> sleeps.</summary>
    public bool Contains(string accountId) => _byAccount.ContainsKey(accountId);

    /// <summary>The account sleeps until <paramref name="wakeAt"/> (replacing an earlier entry of it).</summary>
    public void Sleep(string accountId, DateTimeOffset wakeAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(accountId);
        Remove(accountId);
        _byAccount[accountId] = wakeAt;
        _byTime.Add((wakeAt, accountId));
    }

    /// <summary>The account is awake (or gone): no entry is left for it. False when it had none.</summary>
    public bool Remove(string accountId)
    {
        if (!_byAccount.Remove(accountId, out var at))
        {
            return false;
        }

        _byTime.Remove((at, accountId));
        return true;
    }

    /// <summary>Removes and returns the accounts whose wake time is at or before <paramref name="now"/>, earliest first, at most <paramref name="max"/>.</summary>
    public IReadOnlyList<(string AccountId, DateTimeOffset WakeAt)> TakeDue(DateTimeOffset now, int max = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        var due = new List<(string, DateTimeOffset)>();
        while (due.Count < max && _byTime.Count > 0 && _byTime.Min.At <= now)
        {
            var (at, id) = _byTime.Min;
            _byTime.Remove(_byTime.Min);
            _byAccount.Remove(id);
            due.Add((id, at));
        }

        return due;
    }
}
