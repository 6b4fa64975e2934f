using Akka.Actor;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Actors.Recipients;

/// <summary>
/// <see cref="IDuplicateLedger"/> over the node's recipient actors (a shard region on a cluster, a local directory for
/// one-shot runs). The environment is built before the actor system exists, so the region is attached once the node
/// starts; calls before that wait.
/// </summary>
public sealed class ActorDuplicateLedger : IDuplicateLedger
{
    /// <summary>How long a confirmation may take (one journal write).</summary>
    private static readonly TimeSpan ConfirmTimeout = TimeSpan.FromMinutes(2);

    private readonly TaskCompletionSource<IActorRef> _attached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>How long a claim may wait for another source's claim to end (its timeout, plus room).</summary>
    public static TimeSpan ClaimTimeout { get; } = DuplicateWindow.DefaultClaimTimeout + TimeSpan.FromMinutes(2);

    /// <summary>Connects to the recipients' region; later calls are ignored.</summary>
    public void Attach(IActorRef recipients) => _attached.TrySetResult(recipients);

    /// <inheritdoc />
    public async Task<(ClaimAnswer Answer, string? DeliveredFrom)> ClaimAsync(string recipient, string key, string source, CancellationToken cancellationToken)
    {
        var region = await _attached.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        var answer = await region.Ask<CopyClaimAnswer>(new ClaimCopy(recipient, key, source), ClaimTimeout, cancellationToken).ConfigureAwait(false);
        return (answer.Answer, answer.DeliveredFrom);
    }

    /// <inheritdoc />
    public async Task ConfirmAsync(string recipient, string key, string source, DateTimeOffset at, TimeSpan window, CancellationToken cancellationToken)
    {
        var region = await _attached.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        await region.Ask<CopyConfirmed>(new ConfirmCopy(recipient, key, source, at, window), ConfirmTimeout, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string recipient, string key, string source, CancellationToken cancellationToken)
    {
        var region = await _attached.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        region.Tell(new ReleaseCopy(recipient, key, source));
    }
}
