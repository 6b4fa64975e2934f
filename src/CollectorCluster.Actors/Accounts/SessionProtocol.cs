using Akka.Actor;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Events;

namespace CollectorCluster.Actors.Accounts;

// Inside one account: its schedule's timer, and its running session (CollectionRun, through ActorRecorder) talking to it.
// Never across nodes (INoSerializationVerificationNeeded: serialize-messages skips them; an exception is no wire format).

/// <summary>Timer tick to an account: its scheduled slot has come.</summary>
internal sealed class CollectionDue : INoSerializationVerificationNeeded
{
    public static readonly CollectionDue Instance = new();

    private CollectionDue()
    {
    }
}

/// <summary>From a running session to its account: persist these, then answer <see cref="Recorded"/>.</summary>
internal sealed record RecordEvents(IReadOnlyList<IAccountEvent> Events) : INoSerializationVerificationNeeded;

/// <summary>The account's answer to <see cref="RecordEvents"/>: the events are in the journal.</summary>
internal sealed class Recorded : INoSerializationVerificationNeeded
{
    public static readonly Recorded Instance = new();

    private Recorded()
    {
    }
}

/// <summary>A session task finished: its outcome, or the exception that escaped it.</summary>
internal sealed record SessionEnded(SessionOutcome? Outcome, Exception? Error = null) : INoSerializationVerificationNeeded;
