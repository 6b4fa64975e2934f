using System.Collections.Immutable;
using Akka.Persistence;
using Akka.Persistence.Journal;

namespace CollectorCluster.Actors.Tests.Accounts;

/// <summary>
/// The in-memory journal, failing a write that holds no events as the SQL journal does (it reads the first event's
/// persistence id), and counting such writes: an actor must never send one, since the SQL journal's failure is silent
/// and counts against its circuit breaker.
/// </summary>
public sealed class EmptyWriteJournal : MemoryJournal
{
    private static int _emptyWrites;

    /// <summary>Writes with no events received since the count was last reset.</summary>
    public static int EmptyWrites => Volatile.Read(ref _emptyWrites);

    /// <summary>Starts counting again.</summary>
    public static void Reset() => Interlocked.Exchange(ref _emptyWrites, 0);

    /// <inheritdoc />
    protected override Task<IImmutableList<Exception>> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var list = messages.ToList();
        if (list.Count == 0)
        {
            Interlocked.Increment(ref _emptyWrites);
            throw new InvalidOperationException("Sequence contains no elements (a write with no events)");
        }

        return base.WriteMessagesAsync(list, cancellationToken);
    }
}
