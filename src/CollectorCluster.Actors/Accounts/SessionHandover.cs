using Akka.Actor;

namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// Who answers the requesters of a running session when its account cannot: a failed journal write stops the account
/// (Akka's rule: after a failed write only recovery knows what the journal holds), and the session's end would then go
/// to dead letters, leaving <c>collector once</c> and <c>collector collect</c> waiting forever. The account hands its
/// waiters over here; whichever comes second, the hand-over or the session's end, answers them with the session's
/// figures. Shared by the account's thread and the session's task, hence the lock.
/// </summary>
internal sealed class SessionHandover
{
    private readonly Lock _gate = new();
    private SessionEnded? _ended;
    private (IReadOnlyList<IActorRef> Waiters, Func<SessionEnded, CollectionResult> Answer)? _orphans;

    /// <summary>The session's task ended (called on its thread, before the account hears of it).</summary>
    public void Ended(SessionEnded ended)
    {
        (IReadOnlyList<IActorRef> Waiters, Func<SessionEnded, CollectionResult> Answer)? orphans;
        lock (_gate)
        {
            _ended = ended;
            orphans = _orphans;
            _orphans = null;
        }

        Answer(orphans, ended);
    }

    /// <summary>The account stops before it could answer <paramref name="waiters"/>: <paramref name="answer"/> does, once the session has ended.</summary>
    public void Orphan(IReadOnlyList<IActorRef> waiters, Func<SessionEnded, CollectionResult> answer)
    {
        SessionEnded? ended;
        lock (_gate)
        {
            ended = _ended;
            if (ended is null)
            {
                _orphans = (waiters, answer);
            }
        }

        if (ended is not null)
        {
            Answer((waiters, answer), ended);
        }
    }

    private static void Answer((IReadOnlyList<IActorRef> Waiters, Func<SessionEnded, CollectionResult> Answer)? orphans, SessionEnded ended)
    {
        if (orphans is not { } o)
        {
            return;
        }

        var result = o.Answer(ended);
        foreach (var waiter in o.Waiters)
        {
            waiter.Tell(result);
        }
    }
}
