using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using CollectorCluster.Actors.Accounts;
using CollectorCluster.Core.Scheduling;

namespace CollectorCluster.Actors.Sleep;

/// <summary>
/// The alarm of one account shard: an entity of the account region itself (<see cref="Sharding.AccountMessageExtractor.AlarmEntityId"/>),
/// so it is remembered, lives wherever its shard lives and comes back with it after a hand-off or a node's death. It
/// journals when each sleeping account of its shard must be woken, wakes it then (a <see cref="WakeAccount"/> through the
/// region starts its actor), and answers for it while it sleeps. Wakes are idempotent: an entry left over after a
/// restart only wakes an account once more.
/// </summary>
public sealed class AccountAlarm : UntypedPersistentActor, IWithTimers
{
    /// <summary>Journalled sleeps between snapshots of the table.</summary>
    public const int SnapshotEvery = 500;

    /// <summary>Accounts woken per timer tick, so a crowd due at once enters the region in slices.</summary>
    public const int WakeBatch = 200;

    /// <summary>The account region's path on every node (Cluster.Sharding's naming: /system/sharding/&lt;type&gt;).</summary>
    public const string RegionPath = "/system/sharding/account";

    /// <summary>How long a woken account has to say it is awake (<see cref="AccountAwake"/>) before it is woken again.</summary>
    public static readonly TimeSpan WakeRetry = TimeSpan.FromSeconds(30);

    private const string WakeTimer = "wake";
    private readonly string _shardId;
    private readonly ICanTell? _given;
    private ICanTell _accounts = null!;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _wakeRetry;
    private readonly WakeTable _table = new();
    // The sleep as journalled (its wake time stays when a wake is re-sent) and, unless recovered, the account's status.
    private readonly Dictionary<string, (DateTimeOffset WakeAt, DateTimeOffset Due, AccountStatus? Status)> _sleeping = new(StringComparer.Ordinal);
    private long _lastSnapshot;

    /// <summary>Creates the alarm of <paramref name="shardId"/>, which wakes accounts through <paramref name="accounts"/> (the account region).</summary>
    /// <param name="shardId">The shard whose accounts it wakes.</param>
    /// <param name="accounts">Where wakes go; null: this node's account region.</param>
    /// <param name="clock">The clock wake times are read on.</param>
    /// <param name="wakeRetry">How long a woken account has to say so before it is woken again (default <see cref="WakeRetry"/>).</param>
    public AccountAlarm(string shardId, ICanTell? accounts, TimeProvider clock, TimeSpan? wakeRetry = null)
    {
        _shardId = shardId;
        _given = accounts;
        _clock = clock;
        _wakeRetry = wakeRetry ?? WakeRetry;
    }

    /// <inheritdoc />
    /// <remarks>Never an account's: theirs are "account-" + an id, and account ids have no '~'.</remarks>
    public override string PersistenceId => "~alarm-" + _shardId;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for the account region's entity factory; <paramref name="accounts"/> null: this node's account region.</summary>
    public static Props Props(string shardId, ICanTell? accounts, TimeProvider clock, TimeSpan? wakeRetry = null) =>
        Akka.Actor.Props.Create(() => new AccountAlarm(shardId, accounts, clock, wakeRetry));

    /// <inheritdoc />
    protected override void PreStart()
    {
        _accounts = _given ?? Context.System.ActorSelection(RegionPath);
        base.PreStart();
    }

    /// <inheritdoc />
    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: AlarmSnapshot snapshot } offer:
                _lastSnapshot = offer.Metadata.SequenceNr;
                snapshot.Sleeping.ToList().ForEach(slept => Remember(slept));
                break;
            case AccountSlept slept:
                Remember(slept);
                break;
        }
    }

    /// <inheritdoc />
    protected override void OnReplaySuccess()
    {
        base.OnReplaySuccess();
        Arm();
    }

    /// <inheritdoc />
    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case SleepUntil sleep:
                var sender = Sender;
                Persist(new AccountSlept(sleep.AccountId, sleep.WakeAt, sleep.Due), slept =>
                {
                    Remember(slept, sleep.Status with { NextDue = slept.Due, Collecting = false, Sleeping = true });
                    sender.Tell(new SleepGranted(sleep.AccountId, sleep.Generation));
                    Arm();
                    SnapshotIfDue();
                });
                break;
            case AccountAwake awake:
                Forget(awake.AccountId);
                Arm();
                break;
            case GetSleeperStatus ask when _sleeping.TryGetValue(ask.AccountId, out var entry) && entry.Status is { } status:
                Sender.Tell(status);
                break;
            case GetSleeperStatus ask:
                _accounts.Tell(new GetAccountStatus(ask.AccountId), Sender); // awake, or slept before this alarm's restart: the account answers
                break;
            case ListSleepers:
                Sender.Tell(new Sleepers(_shardId, [.. _sleeping.Keys.Order(StringComparer.Ordinal)]));
                break;
            case WakeDue:
                Wake();
                break;
            case StopAccount:
                Context.Stop(Self); // the shard's hand-off stop message: everything is journalled already
                break;
            case SaveSnapshotSuccess saved:
                DeleteMessages(saved.Metadata.SequenceNr);
                DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
                break;
            case SaveSnapshotFailure failed:
                Log.Warning("Alarm of shard {0}: snapshot failed (the journal keeps the sleeps): {1}", _shardId, failed.Cause.Message);
                break;
            case DeleteMessagesSuccess or DeleteSnapshotsSuccess or DeleteMessagesFailure or DeleteSnapshotsFailure:
                break; // a failed deletion leaves rows the next snapshot's deletion covers
            default:
                Unhandled(message);
                break;
        }
    }

    // Status null: recovered from the journal, which does not hold it (the account answers for itself).
    private void Remember(AccountSlept slept, AccountStatus? status = null)
    {
        _table.Sleep(slept.AccountId, slept.WakeAt);
        _sleeping[slept.AccountId] = (slept.WakeAt, slept.Due, status);
    }

    private void Forget(string accountId)
    {
        _table.Remove(accountId);
        _sleeping.Remove(accountId);
    }

    // The entry stays (due again after WakeRetry) until the account says it is awake: a wake lost in a hand-off is sent again.
    private void Wake()
    {
        var now = _clock.GetUtcNow();
        foreach (var (accountId, at) in _table.TakeDue(now, WakeBatch))
        {
            var (wakeAt, due, _) = _sleeping.TryGetValue(accountId, out var entry) ? entry : (at, at, null);
            _sleeping[accountId] = (wakeAt, due, null);
            _table.Sleep(accountId, now + _wakeRetry);
            _accounts.Tell(new WakeAccount(accountId, wakeAt, due), Self);
        }

        Arm();
    }

    private void Arm()
    {
        if (_table.Earliest is not { } earliest)
        {
            Timers.Cancel(WakeTimer);
            return;
        }

        var delay = earliest - _clock.GetUtcNow();
        Timers.StartSingleTimer(WakeTimer, WakeDue.Instance, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
    }

    private void SnapshotIfDue()
    {
        if (LastSequenceNr - _lastSnapshot >= SnapshotEvery)
        {
            _lastSnapshot = LastSequenceNr;
            SaveSnapshot(new AlarmSnapshot([.. _sleeping.Select(e => new AccountSlept(e.Key, e.Value.WakeAt, e.Value.Due))]));
        }
    }

    /// <summary>The alarm's own timer message.</summary>
    private sealed class WakeDue
    {
        public static readonly WakeDue Instance = new();
    }
}
