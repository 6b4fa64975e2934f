using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Actors.Sleep;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Migration;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.Routing;
using CollectorCluster.Core.Scheduling;
using CollectorCluster.Core.State;

namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// One remote POP3 mailbox (entity id = account id). Its journal is the truth about what was collected; the
/// session itself runs as a task beside the actor, so the actor keeps answering while mail streams in.
/// </summary>
public sealed class AccountActor : UntypedPersistentActor, IWithTimers
{
    private const string DueTimer = "due";
    private const string SleepTimer = "sleep";

    /// <summary>How long an account stays awake after its schedule was set before it considers sleeping (a wake's own slot arrives first).</summary>
    private static readonly TimeSpan SleepSettle = TimeSpan.FromSeconds(2);
    private readonly string _accountId;
    private readonly CollectionEnvironment _env;
    private readonly List<IActorRef> _waiting = [];
    private readonly CollectionRound _round = new();
    private readonly bool _restoreSettings;
    private AccountState _state = AccountState.Empty;
    private AccountSettings? _settings;
    private AccountSettings? _sessionSettings; // what the running (or last) session collects with
    private CancellationTokenSource? _stop;
    private CancellationTokenSource? _abort;
    private SessionHandover? _handover; // the running session's, until its outcome is recorded and answered
    private IActorRef? _recording; // the session waiting for a RecordEvents write
    private string? _journalFailure; // a write failed: the actor stops (Akka's rule), answering what waits first
    private DateTimeOffset? _nextDue;
    private DateTimeOffset? _sessionStartedAt;
    private DateTimeOffset? _dueOfSession; // the running session's slot, when the schedule started it; null when asked for
    private bool _everScheduled;
    private long _lastSnapshotSequenceNr;
    private bool _stopping;
    private bool _scheduled;
    private string? _expireWarning;
    private long _sleepGeneration; // the latest SleepUntil sent; a grant of an older one is stale
    private long _sleepSequenceNr; // the journal position the status sent with it described
    private DateTimeOffset? _sleepDue;

    /// <summary>Creates the actor for one account.</summary>
    /// <param name="accountId">The entity id.</param>
    /// <param name="env">Where the account collects.</param>
    /// <param name="initial">Settings applied once recovery is done (tests, and hosts without a cluster key).</param>
    /// <param name="restoreSettings">
    /// Collect by the settings last applied anywhere in the cluster, read from the account's own journal once recovery
    /// is done: an entity that sharding starts here (hand-over, fail-over, remember-entities) collects again at once.
    /// </param>
    public AccountActor(string accountId, CollectionEnvironment env, ConfigureAccount? initial = null, bool restoreSettings = false)
    {
        _accountId = accountId;
        _env = env;
        _restoreSettings = restoreSettings;
        if (initial is not null)
        {
            Self.Tell(initial, ActorRefs.NoSender); // stashed until recovery completes
        }
    }

    /// <inheritdoc />
    public override string PersistenceId => "account-" + _accountId;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for sharding or a local parent.</summary>
    public static Props Props(string accountId, CollectionEnvironment env, ConfigureAccount? initial = null, bool restoreSettings = false) =>
        Akka.Actor.Props.Create(() => new AccountActor(accountId, env, initial, restoreSettings));

    /// <inheritdoc />
    /// <remarks>A switch, not a table of Receive handlers: those are built per instance, kilobytes on each of 10,000 entities.</remarks>
    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: AccountSnapshot snapshot } offer:
                _state = snapshot.ToState();
                _lastSnapshotSequenceNr = offer.Metadata.SequenceNr;
                break;
            case IAccountEvent e:
                _state = _state.Apply(e);
                break;
        }
    }

    /// <inheritdoc />
    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case ConfigureAccount c: Configure(c); break;
            case ApplyAccountSettings a: ApplySettings(a); break;
            case RemoveAccountSettings r: RemoveSettings(r); break;
            case CollectNow: RequestCollection(Sender); break;
            case CollectionDue: RequestCollection(null, _nextDue); break;
            case GetAccountStatus: Sender.Tell(Status()); break;
            case MarkMessage m: Mark(m); break;
            case PreviewReset p:
                var preview = ResetPreview.Compute(_state, p.Since);
                Sender.Tell(new ResetPreviewResult(_accountId, preview.Messages, preview.Bytes));
                break;
            case ResetCollector r: Reset(r); break;
            case PauseAccount p: Pause(p); break;
            case GetMessageLines: Sender.Tell(new MessageLines(_accountId, Lines())); break;
            case GetCollectionHistory h: Sender.Tell(new CollectionHistory(_accountId, [.. _state.History.TakeLast(Math.Max(h.Max, 0))])); break;
            case RecordEvents r: PersistBatch(r.Events); break;
            case SessionEnded e: OnSessionEnded(e); break;
            case StopAccount: StopGracefully(); break;
            case WakeAccount w: Woken(w); break;
            case SleepCheck: ConsiderSleep(); break;
            case SleepGranted g: SleepIfStillIdle(g); break;
            case ResumeAccount r: Resume(r); break;
            case SaveSnapshotSuccess s: SnapshotSaved(s); break;
            case SaveSnapshotFailure f: Log.Warning("Account {0}: snapshot failed: {1}", _accountId, f.Cause.Message); break;
            case DeleteSnapshotsSuccess: break;
            case DeleteSnapshotsFailure f: Log.Warning("Account {0}: old snapshots not deleted: {1}", _accountId, f.Cause.Message); break;
            case DeleteMessagesSuccess: break;
            case DeleteMessagesFailure f: Log.Warning("Account {0}: events below its snapshot not deleted (they are kept; the next snapshot tries again): {1}", _accountId, f.Cause.Message); break;
            default: Unhandled(message); break;
        }
    }

    /// <inheritdoc />
    protected override void PreStart()
    {
        base.PreStart();
        if (MaySleep)
        {
            Accounts().Tell(new AccountAwake(_accountId), Self); // the alarm forgets a sleep this start ends
        }
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _abort?.Cancel();
        base.PostStop();
    }

    private void Configure(ConfigureAccount command)
    {
        var sender = Sender;
        Configure(command, () =>
        {
            if (!sender.IsNobody())
            {
                sender.Tell(new AccountAck(_accountId));
            }
        });
    }

    // recorded: the sealed settings to journal with the configuration, in one write.
    private void Configure(ConfigureAccount command, Action done, AccountSettingsChanged? recorded = null)
    {
        var now = _env.Clock.GetUtcNow();
        var change = Reconfiguration.Decide(_state, _settings, command.Settings, now, SettingsDigest.Of(command.Settings, _env.Secrets));
        if (change.Identified is { Reset: true } && _stop is not null)
        {
            // Another mailbox: the running session's records belong to the old one. Let it stop after the message in
            // flight and record; the reset follows once it has ended (the stashed message, ConfigureAccount or
            // ApplyAccountSettings, is handled again then).
            Log.Info("Account {0}: the mailbox changes to {1}; the running session stops first", _accountId, command.Settings.Address);
            _stop.Cancel();
            Stash.Stash();
            return;
        }

        _settings = command.Settings;
        _scheduled = command.Scheduled;
        var events = new List<IAccountEvent>(4);
        if (recorded is not null)
        {
            events.Add(recorded);
        }

        if (change.Identified is { } identified)
        {
            events.Add(identified);
            if (identified.Reset)
            {
                Log.Info("Account {0}: the mailbox changed to {1}; {2} collected message(s) of the previous mailbox forgotten, its mail is collected as new", _accountId, command.Settings.Address, identified.Forgotten);
            }
        }

        if (change.Configured is { } configured)
        {
            events.Add(configured);
        }

        if (events.Count > 0)
        {
            PersistAll(events, e => _state = _state.Apply(e));
        }

        if (change.SettingsChanged || change.Identified is { Reset: true })
        {
            _env.OAuth2.Forget(_accountId); // a new client or refresh token must not be served an old access token
        }

        if (change.Healed is { } healed)
        {
            PersistPolicy([healed], "configuration changed");
        }

        TakeOverImportedUidls(command.Settings);

        WarnAboutExpire();

        if (events.Count == 0 && change.Healed is null)
        {
            // Nothing journaled: go on at once. A DeferAsync here, while an earlier command's is still in flight, would
            // send the SQL journal a write with no events, which it fails (silently) and counts against its circuit
            // breaker; enough of them (settings applied from every node at once) open it for the whole node.
            ScheduleNext();
            done();
            return;
        }

        DeferAsync(command, _ =>
        {
            ScheduleNext();
            SnapshotIfDue();
            done();
        });
    }

    /// <inheritdoc />
    protected override void OnReplaySuccess()
    {
        base.OnReplaySuccess();
        if (_restoreSettings && _settings is null && _state.Settings is { } recorded && OpenRecorded(recorded) is { } settings)
        {
            if (recorded.Origin == AccountOrigin.Runtime && _env.RuntimeRefusal?.Invoke(settings) is { } refusal)
            {
                // The node's runtime-accounts policy no longer allows its mailbox: known, not collecting.
                Log.Error("Runtime accounts: account '{0}' (added at run time): {1}; not configured (collector remove {0} --yes, or move it to the node file)", _accountId, refusal);
                return;
            }

            _settings = settings;
            _scheduled = true;
            WarnAboutExpire();
            ScheduleNext();
        }
    }

    // Settings from anywhere in the cluster, sealed: opened with this node's cluster key, journaled when they differ.
    private void ApplySettings(ApplyAccountSettings command)
    {
        var sender = Sender;
        if (_env.Secrets is not { } sealer)
        {
            sender.Tell(new AccountSettingsApplied(_accountId, SettingsChange.Refused, [], "this node has no cluster key"));
            return;
        }

        if (command.OnlyIfAbsent && (_settings is not null || _state.Settings is not null))
        {
            sender.Tell(new AccountSettingsApplied(_accountId, SettingsChange.Unchanged, [], ""));
            return;
        }

        AccountSettings next;
        try
        {
            next = command.Settings.Open(sealer);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.Error("Account {0}: settings refused: {1}", _accountId, e.Message);
            sender.Tell(new AccountSettingsApplied(_accountId, SettingsChange.Refused, [], e.Message));
            return;
        }

        var previous = _settings ?? (_state.Settings is { } journaled ? OpenRecorded(journaled) : null);
        var keys = previous is null ? [] : SealedAccountSettings.ChangedKeys(previous, next);
        var change = previous is null ? SettingsChange.Added : keys.Count > 0 || _state.Settings?.Origin != command.Origin ? SettingsChange.Changed : SettingsChange.Unchanged;
        if (change != SettingsChange.Unchanged)
        {
            Log.Info("Account {0}: settings {1}{2}", _accountId, change == SettingsChange.Added ? "applied" : "changed", keys.Count > 0 ? " (" + string.Join(", ", keys) + ")" : "");
        }

        var recorded = change == SettingsChange.Unchanged ? null : new AccountSettingsChanged(command.Settings, command.Origin, _env.Clock.GetUtcNow());
        Configure(new ConfigureAccount(next), () => sender.Tell(new AccountSettingsApplied(_accountId, change, keys, "")), recorded);
    }

    private void RemoveSettings(RemoveAccountSettings command)
    {
        var sender = Sender;
        if (_state.Settings is null && _settings is null)
        {
            sender.Tell(new AccountSettingsApplied(_accountId, SettingsChange.Removed, [], "was not configured"));
            return;
        }

        Persist(new AccountSettingsRemoved(_env.Clock.GetUtcNow()), e =>
        {
            _state = _state.Apply(e);
            _settings = null;
            Timers.Cancel(DueTimer);
            _nextDue = null;
            Log.Info("Account {0}: removed; it collects no more", _accountId);
            sender.Tell(new AccountSettingsApplied(_accountId, SettingsChange.Removed, [], ""));
            if (_restoreSettings)
            {
                // Leaves the remembered entities: a removed account is not started again with its shard.
                Context.Parent.Tell(new Akka.Cluster.Sharding.Passivate(StopAccount.Instance));
            }
        });
    }

    private AccountSettings? OpenRecorded(AccountSettingsChanged recorded)
    {
        if (_env.Secrets is not { } sealer)
        {
            Log.Error("Account {0}: its settings are in the journal but this node has no cluster key to open them", _accountId);
            return null;
        }

        try
        {
            return recorded.Settings.Open(sealer);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Log.Error("Account {0}: its journaled settings cannot be opened: {1}", _accountId, e.Message);
            return null;
        }
    }

    // collector import's seed: the UIDLs the previous collector had fetched count as collected, once (journalled before any session).
    private void TakeOverImportedUidls(AccountSettings settings)
    {
        var (imported, warning) = SeedAdoption.Decide(_state, settings, File.ReadAllText, _env.Clock.GetUtcNow());
        if (warning is not null)
        {
            Log.Warning("Account {0}: {1}", _accountId, warning);
        }

        if (imported is not null)
        {
            Persist(imported, e =>
            {
                _state = _state.Apply(e);
                Log.Info("Account {0}: took over {1} UIDL(s) already fetched by {2}; they are not collected again", _accountId, e.Uidls.Count, e.Origin);
            });
        }
    }

    private void RequestCollection(IActorRef? replyTo, DateTimeOffset? due = null)
    {
        if (replyTo is not null && !replyTo.IsNobody())
        {
            _waiting.Add(replyTo);
        }

        var now = _env.Clock.GetUtcNow();
        var decision = CollectGate.Decide(_accountId, _settings, busy: _stop is not null || _stopping, _state, now);
        switch (decision.Verdict)
        {
            case CollectVerdict.Start when _settings is { } settings:
                _dueOfSession = due;
                // The fence: the session starts only once this incarnation's write succeeded. A stale incarnation elsewhere
                // fails its next write on the shared journal's unique (persistence_id, sequence_nr) and stops (default
                // OnPersistFailure), and stopping cancels its session (PostStop), so a mailbox never has two sessions.
                // Persist stashes other commands until it is written, so nothing starts a second session meanwhile.
                Persist(new SessionStarted(now), _ => StartSession(settings));
                break;
            case CollectVerdict.Refuse:
                ReplyToWaiting(Refused(decision.Reason));
                break;
            case CollectVerdict.WaitForLoginDelay:
                ReplyToWaiting(Refused(decision.Reason) with { Deferred = true });
                ScheduleNext();
                break;
            case CollectVerdict.Join:
                break; // the running session's end answers the requester; a stopping account starts nothing new
        }
    }

    private CollectionResult Refused(string reason) => new(_accountId, _settings?.Address ?? "", false, 0, 0, 0, 0, TimeSpan.Zero, reason);

    // A session that collected everything it listed may have seen only a window (Gmail): open another, LOGIN-DELAY permitting.
    private bool ContinueRound(SessionOutcome outcome, string address)
    {
        var now = _env.Clock.GetUtcNow();
        var next = RoundContinuation.Decide(_round.Progress(outcome), _env.Tuning.MaxSessionsPerRound, _env.Tuning.RoundMinListed, _settings, _state.Policy, now);
        if (next.Step == RoundStep.End)
        {
            return false;
        }

        var afterLoginDelay = next.Step == RoundStep.ContinueAfterLoginDelay;
        if (afterLoginDelay)
        {
            // Nobody waits out a LOGIN-DELAY (Gmail: 5 minutes): the waiters hear now, the round goes on later.
            ReplyToWaiting(_round.Flush(_accountId, address, outcome, $"the server listed only a window; the round continues at {next.At:u} (LOGIN-DELAY)"));
        }
        else
        {
            _round.Add(outcome);
        }

        Log.Info("Account {0}: the session collected all {1} listed message(s); another session of this round{2}", _accountId, outcome.Listed, afterLoginDelay ? $" at {next.At:u} (LOGIN-DELAY)" : "");
        _nextDue = next.At;
        Timers.StartSingleTimer(DueTimer, CollectionDue.Instance, next.At - now);
        return true;
    }

    private void Resume(ResumeAccount command)
    {
        var sender = Sender;
        var previous = _state.Policy.Health;
        if (previous == AccountHealth.Healthy)
        {
            sender.Tell(new ResumeResult(_accountId, previous, "was healthy; nothing to resume"));
            return;
        }

        PersistPolicy([new AccountHealthChanged(nameof(AccountHealth.Healthy), "", null, _env.Clock.GetUtcNow())], "resumed by operator");
        DeferAsync(command, _ =>
        {
            ScheduleNext();
            sender.Tell(new ResumeResult(_accountId, previous, "resumed: the schedule runs again (LOGIN-DELAY still applies)"));
        });
    }

    private void PersistPolicy(IReadOnlyList<IAccountEvent> events, string? why = null)
    {
        PersistAll(events, e =>
        {
            var before = _state.Policy;
            _state = _state.Apply(e);
            var after = _state.Policy;
            if (e is AccountHealthChanged && (before.Health != after.Health || before.Reason != after.Reason))
            {
                var line = $"Account {_accountId}: {after.Health}{(after.Reason.Length > 0 ? ": " + after.Reason : "")}{(why is null ? "" : $" ({why})")}";
                if (after.Health == AccountHealth.NeedsOperator)
                {
                    Log.Warning("{0}", line);
                }
                else
                {
                    Log.Info("{0}", line);
                }
            }

            if (e is ServerPolicyObserved)
            {
                WarnAboutExpire();
            }
        });
    }

    // EXPIRE against leave-on-server: logged once per change of either, shown in status always.
    private void WarnAboutExpire()
    {
        var warning = _settings is null ? null : ExpireAdvice.Warning(_state.Policy.Expire, _settings.LeaveMailOnServer, _settings.DeleteAfterDays);
        if (warning is not null && warning != _expireWarning)
        {
            Log.Warning("Account {0}: {1}", _accountId, warning);
        }

        _expireWarning = warning;
    }

    private void StartSession(AccountSettings settings)
    {
        Timers.Cancel(DueTimer);
        _nextDue = null;
        _stop = new CancellationTokenSource();
        _abort = new CancellationTokenSource();
        _sessionStartedAt = _env.Clock.GetUtcNow();
        _sessionSettings = settings;
        var stop = _stop.Token;
        var abort = _abort.Token;
        var run = new CollectionRun(settings, _state, _env, new ActorRecorder(Self, abort));
        var handover = new SessionHandover();
        _handover = handover;
        var cpu = SessionCpuMeter.Start();
        Task.Run(() => run.ExecuteAsync(stop, abort), abort)
            .ContinueWith(
                t =>
                {
                    var used = cpu.Stop();
                    var ended = t.Status == TaskStatus.RanToCompletion
                        ? new SessionEnded(t.Result with { Cpu = used })
                        : new SessionEnded(null, t.Exception?.GetBaseException() ?? new OperationCanceledException("the session was cancelled before it started"));
                    handover.Ended(ended); // answers the waiters itself if the account stopped meanwhile
                    return ended;
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default)
            .PipeTo(Self);
    }

    private void Mark(MarkMessage command)
    {
        var sender = Sender;
        var now = _env.Clock.GetUtcNow();
        var decision = command.Action switch
        {
            MarkAction.Download => MessageMarking.Decide(_state, command.Uidl, MessageMark.Download, now),
            MarkAction.Delete => MessageMarking.Decide(_state, command.Uidl, MessageMark.Delete, now),
            MarkAction.Clear => MessageMarking.Decide(_state, command.Uidl, null, now),
            _ => MessageMarking.Unknown(command.Uidl, command.Action.ToString()),
        };
        var result = new MarkResult(_accountId, command.Uidl ?? "", decision.Applied, decision.Detail);
        if (decision.Event is null)
        {
            sender.Tell(result);
            return;
        }

        Persist(decision.Event, persisted =>
        {
            _state = _state.Apply(persisted);
            sender.Tell(result);
            SnapshotIfDue();
        });
    }

    private void Reset(ResetCollector command)
    {
        var sender = Sender;
        var preview = ResetPreview.Compute(_state, command.Since);
        Persist(new CollectorReset(command.Since, preview.Messages, preview.Bytes, _env.Clock.GetUtcNow()), e =>
        {
            _state = _state.Apply(e);
            Log.Info("Account {0}: collector reset{1}: {2} message(s), {3} bytes will be collected again", _accountId, command.Since is { } since ? $" since {since:O}" : "", e.Forgotten, e.Bytes);
            sender.Tell(new ResetPreviewResult(_accountId, e.Forgotten, e.Bytes));
            SnapshotIfDue();
        });
    }

    private void Pause(PauseAccount command)
    {
        var sender = Sender;
        if (_state.Paused == command.Paused)
        {
            sender.Tell(new PauseResult(_accountId, _state.Paused, false));
            return;
        }

        var now = _env.Clock.GetUtcNow();
        IAccountEvent e = command.Paused ? new AccountPaused(now) : new AccountResumed(now);
        Persist(e, persisted =>
        {
            _state = _state.Apply(persisted);
            Log.Info("Account {0}: {1} by the operator", _accountId, _state.Paused ? "paused" : "resumed");
            if (_state.Paused)
            {
                Timers.Cancel(DueTimer);
                _nextDue = null;
            }
            else
            {
                ScheduleNext();
            }

            sender.Tell(new PauseResult(_accountId, _state.Paused, true));
            SnapshotIfDue();
        });
    }

    private List<MessageLine> Lines()
    {
        var lines = new List<MessageLine>(_state.Collected.Count + _state.Marks.Count);
        foreach (var m in _state.Collected.Values)
        {
            lines.Add(new MessageLine(m.Uidl, m.Size, m.FirstSeen, m.CollectedAt, LineState(m.Uidl)));
        }

        foreach (var uidl in _state.Marks.Keys)
        {
            if (!_state.Collected.ContainsKey(uidl))
            {
                lines.Add(new MessageLine(uidl, 0, null, null, LineState(uidl)));
            }
        }

        lines.Sort(static (a, b) => string.CompareOrdinal(a.Uidl, b.Uidl));
        return lines;
    }

    private string LineState(string uidl) => _state.Marks.TryGetValue(uidl, out var mark)
        ? mark == MessageMark.Download ? "marked-download" : "marked-delete"
        : "downloaded";

    private void PersistBatch(IReadOnlyList<IAccountEvent> events)
    {
        var sender = Sender;
        var writing = System.Diagnostics.Stopwatch.StartNew();
        _recording = sender;
        PersistAll(events, e => _state = _state.Apply(e));
        DeferAsync(events, _ =>
        {
            _recording = null;
            if (_journalFailure is null)
            {
                Context.System.EventStream.Publish(new JournalWriteObserved(_accountId, events.Count, writing.Elapsed));
                sender.Tell(Recorded.Instance); // never after a rejected write: the session would DELE what is not recorded
                SnapshotIfDue();
            }
        });
    }

    /// <inheritdoc />
    /// <remarks>Akka stops the actor after this (the write may or may not have happened; only recovery knows).</remarks>
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistFailure(cause, @event, sequenceNr);
        JournalFailed(cause, @event);
    }

    /// <inheritdoc />
    /// <remarks>Akka would carry on without the event; a session must not act on a record that was not made, so the account stops as on a failure.</remarks>
    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        JournalFailed(cause, @event);
        Context.Stop(Self);
    }

    /// <summary>
    /// A journal write failed: the running session ends at once without QUIT (the server keeps every deletion not
    /// recorded), and everyone waiting hears it: the session that asked for the write, the requester of the command that
    /// wrote, and the account's waiters (once the session has ended, with its figures). The account then stops; sharding
    /// starts it again from its journal after its restart back-off, and a one-shot run reports it FAILED.
    /// </summary>
    private void JournalFailed(Exception cause, object @event)
    {
        if (_journalFailure is not null)
        {
            return; // a batch fails event by event: answer once
        }

        var failure = $"the journal ({_env.JournalName}) could not record {@event.GetType().Name}: {cause.GetBaseException().Message}";
        _journalFailure = failure;
        _abort?.Cancel();
        var error = new Status.Failure(new JournalFailedException(failure, cause));
        var recording = _recording;
        recording?.Tell(error);
        _recording = null;
        var waiters = _waiting.ToList();
        _waiting.Clear();
        var sender = Sender;
        if (!sender.IsNobody() && !sender.Equals(recording) && !waiters.Contains(sender))
        {
            sender.Tell(error);
        }

        Log.Error("Account {0}: {1}; the account stops (a running session ends without committing) and is started again from its journal", _accountId, failure);
        var address = _settings?.Address ?? _state.Configuration?.Address ?? "";
        var round = _round;
        var startedAt = _sessionStartedAt;
        var clock = _env.Clock;
        CollectionResult Answer(SessionEnded ended)
        {
            var outcome = ended.Outcome ?? Crashed(ended.Error, startedAt, clock);
            var result = round.End(_accountId, address, outcome);
            var detail = result.Detail.Contains(failure, StringComparison.Ordinal) ? result.Detail : string.Join("; ", new[] { result.Detail, failure }.Where(d => d.Length > 0));
            return result with { Succeeded = false, Deferred = false, Detail = $"{detail}; the account stopped" };
        }

        if (_handover is { } handover)
        {
            handover.Orphan(waiters, Answer);
        }
        else if (waiters.Count > 0)
        {
            var result = Answer(new SessionEnded(Crashed(new JournalFailedException(failure, cause), null, clock))); // no session ran
            waiters.ForEach(w => w.Tell(result));
        }
    }

    private void OnSessionEnded(SessionEnded ended)
    {
        _stop?.Dispose();
        _abort?.Dispose();
        _stop = null;
        _abort = null;
        var outcome = ended.Outcome ?? Crashed(ended.Error);
        // The schedule lag, one measure for metrics and benches: from the slot to the login (or to the session's start when
        // it never logged in), so a wait for a connection lease counts; null when an operator asked for the session.
        TimeSpan? lag = _dueOfSession is { } due ? (outcome.LoggedInAt ?? _sessionStartedAt ?? _env.Clock.GetUtcNow()) - due : null;
        _dueOfSession = null;
        var address = _settings?.Address ?? _state.Configuration?.Address ?? "";
        var ran = _sessionSettings;
        var policyEvents = SessionPolicy.EventsAfter(_state.Apply(outcome.Event), outcome, _env.Tuning, _env.Clock.GetUtcNow(), ran is null ? null : SettingsDigest.Of(ran, _env.Secrets));
        if (policyEvents.Count > 0)
        {
            PersistPolicy(policyEvents); // journalled before the outcome, so its callback schedules by the new policy
        }

        if (policyEvents.OfType<AccountHealthChanged>().Any(h => h.Health == nameof(AccountHealth.NeedsOperator)) && _settings is not null && !_settings.Equals(ran))
        {
            // The operator changed the configuration while the failing session ran: that is the way out already.
            PersistPolicy([new AccountHealthChanged(nameof(AccountHealth.Healthy), "", null, _env.Clock.GetUtcNow())], "configuration changed while the session ran");
        }

        Persist(outcome.Event, e =>
        {
            _state = _state.Apply(e);
            Observe(outcome, ran, lag);
            if (outcome.Succeeded)
            {
                Log.Info("{0}", $"Account {_accountId} ({address}): collected {outcome.Collected} message(s), {outcome.Bytes} bytes, deleted {outcome.Deleted}, listed {outcome.Listed}, in {outcome.Duration.TotalSeconds:F1}s{(outcome.Detail.Length > 0 ? "; " + outcome.Detail : "")}");
            }
            else
            {
                Log.Warning("Account {0} ({1}): collection failed after {2} message(s): {3}", _accountId, address, outcome.Collected, outcome.Detail);
            }

            _handover = null; // recorded: from here on the account answers for it
            if (!_stopping && ContinueRound(outcome, address))
            {
                SnapshotIfDue();
                return; // the waiters hear about the whole round
            }

            ReplyToWaiting(_round.End(_accountId, address, outcome));
            SnapshotIfDue();
            if (_stopping)
            {
                Context.Stop(Self);
            }
            else
            {
                ScheduleNext();
                Stash.UnstashAll(); // a reconfiguration that waited for the session to end
            }
        });
    }

    // What metrics and the structured log see of a session: figures, the outcome word and the failure's cause and stage.
    private void Observe(SessionOutcome outcome, AccountSettings? ran, TimeSpan? lag)
    {
        var word = outcome.Succeeded ? "ok" : outcome.Interrupted ? "interrupted" : outcome.Cause == FailureCause.LoginDelay ? "deferred" : "failed";
        var stage = outcome.Event is CollectionFailed failed ? failed.Stage : "none";
        var server = (ran?.Pop3Server ?? _settings?.Pop3Server ?? "").ToLowerInvariant();
        var cause = outcome.Succeeded ? "none" : outcome.Cause.ToString().ToLowerInvariant();
        Context.System.EventStream.Publish(new CollectionObserved(
            _accountId, server, word, cause, stage, outcome.Listed, outcome.Collected, outcome.Deleted, outcome.Bytes, outcome.Duration, lag is { } late && late < TimeSpan.Zero ? TimeSpan.Zero : lag)
        {
            Cpu = outcome.Cpu,
        });
    }

    private SessionOutcome Crashed(Exception? error) => Crashed(error, _sessionStartedAt, _env.Clock);

    private static SessionOutcome Crashed(Exception? error, DateTimeOffset? startedAt, TimeProvider clock)
    {
        var now = clock.GetUtcNow();
        var started = startedAt ?? now;
        var message = error?.GetBaseException().Message ?? "session ended without an outcome";
        var stage = CollectionStage.Internal.ToText();
        return new SessionOutcome(new CollectionFailed(started, now, stage, message, 0, 0), false, 0, 0, 0, 0, now - started, $"{stage}: {message}");
    }

    private void StopGracefully()
    {
        _stopping = true;
        if (_stop is null)
        {
            Context.Stop(Self);
            return;
        }

        Log.Info("Account {0}: stopping after the message in flight", _accountId);
        _stop.Cancel();
    }

    private void ScheduleNext()
    {
        var now = _env.Clock.GetUtcNow();
        var next = NextCollection.Decide(_accountId, _settings, _scheduled, busy: _stop is not null, _state, _env.Tuning.Schedule, now, Random.Shared.NextDouble());
        switch (next.Step)
        {
            case ScheduleStep.Hold:
                Timers.Cancel(DueTimer);
                _nextDue = null;
                Log.Info("Account {0}: {1}", _accountId, next.Note);
                break;
            case ScheduleStep.Due when next.Due is { } due:
                // The first slot of a fresh start is worth a line: staggering can put it most of an interval away.
                if (_nextDue is null && _sessionStartedAt is null)
                {
                    Log.Info("Account {0}: {1}", _accountId, next.Note);
                }
                else
                {
                    Log.Debug("Account {0}: {1}", _accountId, next.Note);
                }

                if (!_everScheduled)
                {
                    _everScheduled = true;
                    ScheduleMetrics.FirstScheduled(_accountId);
                }

                _nextDue = due;
                var delay = due - now;
                Timers.StartSingleTimer(DueTimer, CollectionDue.Instance, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
                if (MaySleep)
                {
                    Timers.StartSingleTimer(SleepTimer, SleepCheck.Instance, SleepSettle);
                }

                break;
        }
    }

    // Sharded accounts sleep when the node says so; one-shot runs (no alarm) never do.
    private bool MaySleep => _restoreSettings && _env.Tuning.Sleep.Enabled;

    private bool Idle => _stop is null && !_stopping && _waiting.Count == 0 && _handover is null && _recording is null && _journalFailure is null;

    private ActorSelection Accounts() => Context.System.ActorSelection(AccountAlarm.RegionPath);

    // Woken by the alarm: keep the slot it slept for (a fresh computation would roll the jitter again) and tell the alarm.
    // A wake is stale when a session started after it was due (an alarm that restarted still held it): the account's
    // own schedule stands (it may be backing off). An account with nothing to collect (removed) goes back to sleep.
    private void Woken(WakeAccount wake)
    {
        Accounts().Tell(new AccountAwake(_accountId), Self);
        if (_settings is null && MaySleep && Idle)
        {
            Context.Parent.Tell(new Akka.Cluster.Sharding.Passivate(StopAccount.Instance));
            return;
        }

        if (!AccountSleep.IsStale(wake.WakeAt, _state.LastCollection?.StartedAt) && _nextDue is not null && Idle)
        {
            _nextDue = wake.Due;
            var delay = wake.Due - _env.Clock.GetUtcNow();
            Timers.StartSingleTimer(DueTimer, CollectionDue.Instance, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
        }
    }

    // An idle account whose slot is far enough away leaves its wake time with its shard's alarm, then stops (once granted).
    private void ConsiderSleep()
    {
        if (!MaySleep || !Idle || _nextDue is not { } due || _env.Tuning.Sleep.WakeAt(due, _env.Clock.GetUtcNow()) is not { } wakeAt)
        {
            return;
        }

        if (LastSequenceNr - _lastSnapshotSequenceNr > AccountSleep.MaxReplayAfterWake)
        {
            _lastSnapshotSequenceNr = LastSequenceNr; // its save (SnapshotSaved) considers sleep again
            SaveSnapshot(AccountSnapshot.From(_state));
            return;
        }

        _sleepGeneration++;
        _sleepSequenceNr = LastSequenceNr;
        _sleepDue = due;
        Accounts().Tell(new SleepUntil(_accountId, wakeAt, due, Status(), _sleepGeneration), Self);
    }

    // The alarm journalled the sleep: stop, unless something happened since the request (then the alarm's entry only wakes it once more).
    private void SleepIfStillIdle(SleepGranted granted)
    {
        if (granted.Generation == _sleepGeneration && Idle && LastSequenceNr == _sleepSequenceNr && _nextDue == _sleepDue)
        {
            Log.Debug("Account {0}: sleeps until {1:u}", _accountId, _sleepDue);
            Context.Parent.Tell(new Akka.Cluster.Sharding.Passivate(StopAccount.Instance));
        }
    }

    /// <summary>
    /// Recovery starts from the newest snapshot, so older snapshots, and (unless the node keeps every event) the events
    /// the snapshot covers, are never read again: deleting them bounds the journal at one snapshot plus the events since.
    /// </summary>
    private void SnapshotSaved(SaveSnapshotSuccess saved)
    {
        DeleteSnapshots(new SnapshotSelectionCriteria(saved.Metadata.SequenceNr - 1));
        if (!_env.Tuning.KeepAllEvents)
        {
            DeleteMessages(saved.Metadata.SequenceNr);
        }

        if (MaySleep)
        {
            Timers.StartSingleTimer(SleepTimer, SleepCheck.Instance, SleepSettle);
        }
    }

    private void SnapshotIfDue()
    {
        if (LastSequenceNr - _lastSnapshotSequenceNr >= _env.Tuning.SnapshotEvery)
        {
            _lastSnapshotSequenceNr = LastSequenceNr;
            SaveSnapshot(AccountSnapshot.From(_state));
        }
    }

    private void ReplyToWaiting(CollectionResult result)
    {
        foreach (var waiter in _waiting)
        {
            waiter.Tell(result);
        }

        _waiting.Clear();
    }

    private AccountStatus Status() => new(
        _accountId,
        _settings?.Address ?? _state.Configuration?.Address,
        _settings?.Mailbox ?? _state.Configuration?.Mailbox,
        _settings is not null,
        _settings?.Enabled ?? false,
        _stop is not null,
        _nextDue,
        _state.LastCollection,
        _state.Collected.Count,
        _state.TotalCollected,
        _state.TotalBytes,
        _state.ConsecutiveFailures,
        _state.Policy.Health,
        _state.Policy.Reason,
        _state.Policy.LastLoginAt,
        _state.Policy.LoginDelaySeconds,
        _state.Policy.Expire,
        _expireWarning,
        _state.Paused,
        Routing: _settings?.Multidrop is not null || _state.Routing != RoutingCounts.None ? _state.Routing : null);
}
