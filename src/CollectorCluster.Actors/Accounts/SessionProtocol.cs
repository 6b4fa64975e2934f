using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Accounts;

// Inside one account: its schedule's timer, and its running session (CollectionRun, through ActorRecorder) talking to it.

/// <summary>Timer tick to an account: its schedule settled; sleep if idle long enough.</summary>
internal sealed class SleepCheck
{
    public static readonly SleepCheck Instance = new();

    private SleepCheck()
    {
    }
}

/// <summary>Timer tick to an account: its scheduled slot has come.</summary>
internal sealed class CollectionDue
{
    public static readonly CollectionDue Instance = new();

    private CollectionDue()
    {
    }
}

/// <summary>From a running session to its account: persist these, then answer <see cref="Recorded"/>.</summary>
internal sealed record RecordEvents(IReadOnlyList<IAccountEvent> Events);

/// <summary>The account's answer to <see cref="RecordEvents"/>: the events are in the journal.</summary>
internal sealed class Recorded
{
    public static readonly Recorded Instance = new();

    private Recorded()
    {
    }
}

/// <summary>A session task finished: its outcome, or the exception that escaped it.</summary>
internal sealed record SessionEnded(SessionOutcome? Outcome, Exception? Error = null);
