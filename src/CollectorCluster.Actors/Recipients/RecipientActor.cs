using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Actors.Recipients;

/// <summary>
/// One local recipient's memory of the copies it received (entity id = <see cref="RecipientId.For"/> of its
/// destination), shared by every multidrop account that delivers to it, on any node: the duplicate window that
/// suppresses the same message arriving again, across sessions and accounts. Deliveries are journalled; claims of
/// sessions delivering right now live in memory, and a second source waits for the first to confirm or release.
/// The journal stays bounded: expired copies are pruned, and each snapshot deletes the events before it.
/// </summary>
public sealed class RecipientActor : ReceivePersistentActor, IWithTimers
{
    /// <summary>Journalled copies between snapshots, unless told otherwise.</summary>
    public const int DefaultSnapshotEvery = 500;

    private const string PruneTimer = "prune";
    private static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    private readonly string _recipientId;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _claimTimeout;
    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, List<(IActorRef Sender, string Source)>> _waiting = new(StringComparer.Ordinal);
    private DuplicateWindow _window = DuplicateWindow.Empty;

    /// <summary>Creates the actor for one recipient.</summary>
    public RecipientActor(string recipientId, TimeProvider clock, TimeSpan? claimTimeout = null, int snapshotEvery = DefaultSnapshotEvery)
    {
        _recipientId = recipientId;
        _clock = clock;
        _claimTimeout = claimTimeout ?? DuplicateWindow.DefaultClaimTimeout;
        _snapshotEvery = snapshotEvery;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is RecipientSnapshot snapshot)
            {
                _window = snapshot.ToWindow();
            }
        });
        Recover<CopyDelivered>(e => _window = _window.Apply(e));
        Recover<RecoveryCompleted>(_ => _window = _window.Prune(_clock.GetUtcNow(), _claimTimeout));

        Command<ClaimCopy>(Claim);
        Command<ConfirmCopy>(Confirm);
        Command<ReleaseCopy>(r =>
        {
            _window = _window.Release(r.Key, r.Source);
            Wake(r.Key);
        });
        Command<Prune>(_ =>
        {
            _window = _window.Prune(_clock.GetUtcNow(), _claimTimeout); // a stale claim's waiters may go now
            foreach (var key in _waiting.Keys.ToList())
            {
                Wake(key);
            }
        });
        Command<SaveSnapshotSuccess>(s =>
        {
            DeleteMessages(s.Metadata.SequenceNr);
            DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1));
        });
        Command<SaveSnapshotFailure>(f => _log.Warning("Recipient {0}: snapshot failed: {1}", _recipientId, f.Cause.Message));
        Command<DeleteMessagesSuccess>(_ => { });
        Command<DeleteMessagesFailure>(f => _log.Warning("Recipient {0}: old events not deleted: {1}", _recipientId, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("Recipient {0}: old snapshots not deleted: {1}", _recipientId, f.Cause.Message));
    }

    /// <inheritdoc />
    public override string PersistenceId => "recipient-" + _recipientId;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for sharding or a local parent.</summary>
    public static Props Props(string recipientId, TimeProvider clock, TimeSpan? claimTimeout = null, int snapshotEvery = DefaultSnapshotEvery) =>
        Akka.Actor.Props.Create(() => new RecipientActor(recipientId, clock, claimTimeout, snapshotEvery));

    /// <inheritdoc />
    protected override void PreStart()
    {
        base.PreStart();
        Timers.StartPeriodicTimer(PruneTimer, Prune.Instance, PruneInterval);
    }

    private void Claim(ClaimCopy claim)
    {
        if (!Answer(claim.Key, claim.Source, Sender))
        {
            if (!_waiting.TryGetValue(claim.Key, out var waiters))
            {
                _waiting[claim.Key] = waiters = [];
            }

            waiters.Add((Sender, claim.Source));
        }
    }

    // Answers a claim unless it must wait; a grant is recorded as the source's claim.
    private bool Answer(string key, string source, IActorRef replyTo)
    {
        var now = _clock.GetUtcNow();
        var answer = _window.Decide(key, source, now, _claimTimeout);
        switch (answer)
        {
            case ClaimAnswer.Wait:
                return false;
            case ClaimAnswer.Granted:
                _window = _window.Claim(key, source, now);
                break;
        }

        var from = answer == ClaimAnswer.Duplicate ? _window.Delivered[key].Source : null;
        replyTo.Tell(new CopyClaimAnswer(key, answer, from));
        return true;
    }

    private void Confirm(ConfirmCopy confirm)
    {
        var sender = Sender;
        Persist(new CopyDelivered(confirm.Key, confirm.Source, confirm.At, confirm.At + confirm.Window), e =>
        {
            _window = _window.Apply(e);
            sender.Tell(new CopyConfirmed(e.Key));
            Wake(e.Key);
            if (LastSequenceNr % _snapshotEvery == 0)
            {
                _window = _window.Prune(_clock.GetUtcNow(), _claimTimeout);
                SaveSnapshot(RecipientSnapshot.From(_window));
            }
        });
    }

    // Sources waiting on a key ask again, in the order they came: the first may now be granted, the rest learn it is a duplicate or keep waiting.
    private void Wake(string key)
    {
        if (!_waiting.TryGetValue(key, out var waiters))
        {
            return;
        }

        waiters.RemoveAll(w => Answer(key, w.Source, w.Sender));
        if (waiters.Count == 0)
        {
            _waiting.Remove(key);
        }
    }

    // A timer's message to itself: never leaves the actor, so never serialized.
    private sealed class Prune : INoSerializationVerificationNeeded
    {
        public static readonly Prune Instance = new();
    }
}
