using Akka.Actor;
using CollectorCluster.Actors.Collection;

namespace CollectorCluster.Actors.Tokens;

/// <summary>
/// <see cref="IConnectionLeases"/> over the node's <see cref="ConnectionTokens"/> actor. The environment is built before
/// the actor system exists, so the actor is attached once the node starts; waits before that simply wait. Each acquire
/// is one <see cref="LeaseHolder"/> actor, so a cancelled wait or a lost session returns its lease by DeathWatch even if
/// nobody calls <see cref="IDisposable.Dispose"/>.
/// </summary>
public sealed class ActorConnectionLeases : IConnectionLeases
{
    /// <summary>Progress is reported to the tokens at most this often (the session may call it per message).</summary>
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(5);

    private long _holders;
    private readonly TaskCompletionSource<(ActorSystem System, IActorRef Tokens)> _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Connects to the node's tokens actor; later calls are ignored.</summary>
    public void Attach(ActorSystem system, IActorRef tokens) => _attached.TrySetResult((system, tokens));

    /// <inheritdoc />
    public async Task<IConnectionLease> AcquireAsync(string accountId, string server, int priority, CancellationToken cancellationToken)
    {
        var (system, tokens) = await _attached.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var granted = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lost = new CancellationTokenSource();
        // Named so operators (and tests) can find a node's lease holders: /user/lease-N.
        var holder = system.ActorOf(LeaseHolder.Props(tokens, new RequestLease(accountId, server, priority), granted, lost), "lease-" + Interlocked.Increment(ref _holders));
        try
        {
            var id = await granted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            return new Lease(holder, id, lost);
        }
        catch
        {
            granted.TrySetCanceled(CancellationToken.None);
            system.Stop(holder); // withdraws the queued request (or returns a grant that raced the cancel)
            lost.Dispose();
            throw;
        }
    }

    /// <summary>Every message goes through the holder, which knows the tokens actor that granted the lease.</summary>
    private sealed class Lease(IActorRef holder, long id, CancellationTokenSource lost) : IConnectionLease
    {
        private int _connected;
        private int _released;
        private long _lastProgress = Environment.TickCount64 - (long)ProgressEvery.TotalMilliseconds; // the first report goes at once

        public CancellationToken Lost => lost.Token;

        public void MarkConnected()
        {
            if (Interlocked.Exchange(ref _connected, 1) == 0 && Volatile.Read(ref _released) == 0)
            {
                holder.Tell(new LeaseConnected(id));
            }
        }

        public void Progress()
        {
            var now = Environment.TickCount64;
            var last = Interlocked.Read(ref _lastProgress);
            if (now - last >= (long)ProgressEvery.TotalMilliseconds && Interlocked.CompareExchange(ref _lastProgress, now, last) == last && Volatile.Read(ref _released) == 0)
            {
                holder.Tell(new LeaseProgress(id));
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                holder.Tell(new ReleaseLease(id)); // the holder passes it on, then stops
                lost.Dispose();
            }
        }
    }
}
