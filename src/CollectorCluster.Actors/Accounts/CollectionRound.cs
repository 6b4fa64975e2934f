using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.Scheduling;

namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// The sessions of one collection round, when a server lists only a window of its messages per session: the round
/// goes on while each session collects everything it listed, up to a bound (<see cref="RoundContinuation"/> decides),
/// and its figures are summed for the reply. Owned by one <see cref="AccountActor"/>; not thread-safe.
/// </summary>
internal sealed class CollectionRound
{
    private int _sessions;
    private int _collected;
    private int _deleted;
    private long _bytes;
    private TimeSpan _duration;

    /// <summary>The round so far, ending with <paramref name="last"/>, for <see cref="RoundContinuation"/> to decide on.</summary>
    public RoundProgress Progress(SessionOutcome last) => new(_sessions, last.Succeeded, last.Listed, last.Collected);

    /// <summary>Counts a session that the round continues after.</summary>
    public void Add(SessionOutcome outcome)
    {
        _sessions++;
        _collected += outcome.Collected;
        _deleted += outcome.Deleted;
        _bytes += outcome.Bytes;
        _duration += outcome.Duration;
    }

    /// <summary>
    /// The figures so far, for waiters who should not wait out a LOGIN-DELAY: the round itself goes on (its session
    /// count, and so its bound, is kept); only the figures start again.
    /// </summary>
    public CollectionResult Flush(string accountId, string address, SessionOutcome last, string note)
    {
        var sessions = _sessions;
        var result = End(accountId, address, last);
        _sessions = sessions + 1;
        return result with { Detail = result.Detail.Length > 0 ? $"{result.Detail}; {note}" : note };
    }

    /// <summary>The round's result (its last session plus those before), and a fresh round.</summary>
    public CollectionResult End(string accountId, string address, SessionOutcome last)
    {
        var sessions = _sessions + 1;
        var detail = sessions > 1 ? $"{sessions} sessions this round{(last.Detail.Length > 0 ? "; " + last.Detail : "")}" : last.Detail;
        var result = new CollectionResult(accountId, address, last.Succeeded, last.Listed, _collected + last.Collected, _deleted + last.Deleted, _bytes + last.Bytes, _duration + last.Duration, detail)
        {
            Interrupted = last.Interrupted,
            Deferred = !last.Succeeded && last.Cause == FailureCause.LoginDelay,
        };
        _sessions = 0;
        _collected = 0;
        _deleted = 0;
        _bytes = 0;
        _duration = TimeSpan.Zero;
        return result;
    }
}
