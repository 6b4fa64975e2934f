using Akka.Actor;
using CollectorCluster.Actors.Collection;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// <see cref="IConnectionLeases"/> over the <see cref="ConnectionTokens"/> actor. The environment is built before the
/// actor system exists, so the actor is attached once the node starts; waits before that simply wait.
/// Each acquire is one <see cref="LeaseHolder"/> actor, so a cancelled wait or a lost session returns its slot by
/// DeathWatch even if nobody calls <see cref="IDisposable.Dispose"/>.
/// </summary>
public sealed class ActorConnectionLeases : IConnectionLeases
{
    private long _holders;
    private readonly TaskCompletionSource<(ActorSystem System, IActorRef Tokens)> _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Connects to the node's tokens actor; later calls are ignored.</summary>
    public void Attach(ActorSystem system, IActorRef tokens) => _attached.TrySetResult((system, tokens));

    /// <inheritdoc />
    public async Task<IConnectionLease> AcquireAsync(string accountId, string server, int priority, CancellationToken cancellationToken)
    {
        var (system, tokens) = await _attached.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var granted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Named so operators (and tests) can find a node's lease holders: /user/lease-N.
        var holder = system.ActorOf(LeaseHolder.Props(tokens, new RequestLease(accountId, server, priority), granted), "lease-" + Interlocked.Increment(ref _holders));
        try
        {
            var id = await granted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new Lease(holder, id);
        }
        catch
        {
            granted.TrySetCanceled(CancellationToken.None);
            system.Stop(holder); // withdraws the queued request (or returns a grant that raced the cancel)
            throw;
        }
    }

    /// <summary>Both messages go through the holder, which knows the server's tokens actor that granted the lease.</summary>
    private sealed class Lease(IActorRef holder, long id) : IConnectionLease
    {
        private int _connected;
        private int _released;

        public void MarkConnected()
        {
            if (Interlocked.Exchange(ref _connected, 1) == 0 && Volatile.Read(ref _released) == 0)
            {
                holder.Tell(new LeaseConnected(id));
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                holder.Tell(new ReleaseLease(id)); // the holder passes it on, then stops
            }
        }
    }
}
