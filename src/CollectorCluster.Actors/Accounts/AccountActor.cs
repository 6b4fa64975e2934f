using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Actors.Persistence;
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
public sealed class AccountActor : ReceivePersistentActor, IWithTimers
{
    private const string DueTimer = "due";
    private readonly string _accountId;
    private readonly CollectionEnvironment _env;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IActorRef> _waiting = [];
    private readonly Random _jitter = new();
    private readonly CollectionRound _round = new();
    private AccountState _state = AccountState.Empty;
    private AccountSettings? _settings;
    private AccountSettings? _sessionSettings; // what the running (or last) session collects with
    private CancellationTokenSource? _stop;
    private CancellationTokenSource? _abort;
    private DateTimeOffset? _nextDue;
    private DateTimeOffset? _sessionStartedAt;
    private long _lastSnapshotSequenceNr;
    private bool _stopping;
    private bool _scheduled;
    private string? _expireWarning;

    /// <summary>Creates the actor for one account.</summary>
    /// <param name="accountId">The entity id.</param>
    /// <param name="env">Where the account collects.</param>
    /// <param name="initial">
    /// This node's settings for the account, applied once recovery is done: an entity that sharding restarts here
    /// (hand-over, fail-over, remember-entities) collects again without waiting for anyone to configure it.
    /// </param>
    public AccountActor(string accountId, CollectionEnvironment env, ConfigureAccount? initial = null)
    {
        _accountId = accountId;
        _env = env;
        if (initial is not null)
        {
            Self.Tell(initial, ActorRefs.NoSender); // stashed until recovery completes
        }

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is AccountSnapshot snapshot)
            {
                _state = snapshot.ToState();
                _lastSnapshotSequenceNr = offer.Metadata.SequenceNr;
            }
        });
        Recover<IAccountEvent>(e => _state = _state.Apply(e));

        Command<ConfigureAccount>(Configure);
        Command<CollectNow>(_ => RequestCollection(Sender));
        Command<CollectionDue>(_ => RequestCollection(null));
        Command<GetAccountStatus>(_ => Sender.Tell(Status()));
        Command<MarkMessage>(Mark);
        Command<PreviewReset>(p =>
        {
            var preview = ResetPreview.Compute(_state, p.Since);
            Sender.Tell(new ResetPreviewResult(_accountId, preview.Messages, preview.Bytes));
        });
        Command<ResetCollector>(Reset);
        Command<PauseAccount>(Pause);
        Command<GetMessageLines>(_ => Sender.Tell(new MessageLines(_accountId, Lines())));
        Command<RecordEvents>(r => PersistBatch(r.Events));
        Command<SessionEnded>(OnSessionEnded);
        Command<StopAccount>(_ => StopGracefully());
        Command<ResumeAccount>(Resume);
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("Account {0}: snapshot failed: {1}", _accountId, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("Account {0}: old snapshots not deleted: {1}", _accountId, f.Cause.Message));
    }

    /// <inheritdoc />
    public override string PersistenceId => "account-" + _accountId;

    /// <inheritdoc />
    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>Props for sharding or a local parent.</summary>
    public static Props Props(string accountId, CollectionEnvironment env, ConfigureAccount? initial = null) =>
        Akka.Actor.Props.Create(() => new AccountActor(accountId, env, initial));

    /// <inheritdoc />
    protected override void PostStop()
    {
        _abort?.Cancel();
        base.PostStop();
    }

    private void Configure(ConfigureAccount command)
    {
        var sender = Sender;
        var now = _env.Clock.GetUtcNow();
        var change = Reconfiguration.Decide(_state, _settings, command.Settings, now, SettingsDigest.Of(command.Settings, _env.Secrets));
        if (change.Identified is { Reset: true } && _stop is not null)
        {
            // Another mailbox: the running session's records belong to the old one. Let it stop after the message in
            // flight and record; the reset follows once it has ended.
            _log.Info("Account {0}: the mailbox changes to {1}; the running session stops first", _accountId, command.Settings.Address);
            _stop.Cancel();
            Stash.Stash();
            return;
        }

        _settings = command.Settings;
        _scheduled = command.Scheduled;
        var events = new List<IAccountEvent>(3);
        if (change.Identified is { } identified)
        {
            events.Add(identified);
            if (identified.Reset)
            {
                _log.Info("Account {0}: the mailbox changed to {1}; {2} collected message(s) of the previous mailbox forgotten, its mail is collected as new", _accountId, command.Settings.Address, identified.Forgotten);
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

        DeferAsync(command, _ =>
        {
            ScheduleNext();
            SnapshotIfDue();
            if (!sender.IsNobody())
            {
                sender.Tell(new AccountAck(_accountId));
            }
        });
    }

    // collector import's seed: the UIDLs the previous collector had fetched count as collected, once (journalled before any session).
    private void TakeOverImportedUidls(AccountSettings settings)
    {
        var (imported, warning) = SeedAdoption.Decide(_state, settings, File.ReadAllText, _env.Clock.GetUtcNow());
        if (warning is not null)
        {
            _log.Warning("Account {0}: {1}", _accountId, warning);
        }

        if (imported is not null)
        {
            Persist(imported, e =>
            {
                _state = _state.Apply(e);
                _log.Info("Account {0}: took over {1} UIDL(s) already fetched by {2}; they are not collected again", _accountId, e.Uidls.Count, e.Origin);
            });
        }
    }

    private void RequestCollection(IActorRef? replyTo)
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

        _log.Info("Account {0}: the session collected all {1} listed message(s); another session of this round{2}", _accountId, outcome.Listed, afterLoginDelay ? $" at {next.At:u} (LOGIN-DELAY)" : "");
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
                    _log.Warning("{0}", line);
                }
                else
                {
                    _log.Info("{0}", line);
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
            _log.Warning("Account {0}: {1}", _accountId, warning);
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
        var run = new CollectionRun(settings, _state, _env, new ActorRecorder(Self));
        var stop = _stop.Token;
        var abort = _abort.Token;
        Task.Run(() => run.ExecuteAsync(stop, abort), abort)
            .PipeTo(Self, success: o => new SessionEnded(o), failure: e => new SessionEnded(null, e));
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
            _log.Info("Account {0}: collector reset{1}: {2} message(s), {3} bytes will be collected again", _accountId, command.Since is { } since ? $" since {since:O}" : "", e.Forgotten, e.Bytes);
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
            _log.Info("Account {0}: {1} by the operator", _accountId, _state.Paused ? "paused" : "resumed");
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
        PersistAll(events, e => _state = _state.Apply(e));
        DeferAsync(events, _ =>
        {
            sender.Tell(Recorded.Instance);
            SnapshotIfDue();
        });
    }

    private void OnSessionEnded(SessionEnded ended)
    {
        _stop?.Dispose();
        _abort?.Dispose();
        _stop = null;
        _abort = null;
        var outcome = ended.Outcome ?? Crashed(ended.Error);
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
            if (outcome.Succeeded)
            {
                _log.Info("{0}", $"Account {_accountId} ({address}): collected {outcome.Collected} message(s), {outcome.Bytes} bytes, deleted {outcome.Deleted}, listed {outcome.Listed}, in {outcome.Duration.TotalSeconds:F1}s{(outcome.Detail.Length > 0 ? "; " + outcome.Detail : "")}");
            }
            else
            {
                _log.Warning("Account {0} ({1}): collection failed after {2} message(s): {3}", _accountId, address, outcome.Collected, outcome.Detail);
            }

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

    private SessionOutcome Crashed(Exception? error)
    {
        var now = _env.Clock.GetUtcNow();
        var started = _sessionStartedAt ?? now;
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

        _log.Info("Account {0}: stopping after the message in flight", _accountId);
        _stop.Cancel();
    }

    private void ScheduleNext()
    {
        var now = _env.Clock.GetUtcNow();
        var next = NextCollection.Decide(_accountId, _settings, _scheduled, busy: _stop is not null, _state, _env.Tuning.Schedule, now, _jitter.NextDouble());
        switch (next.Step)
        {
            case ScheduleStep.Hold:
                Timers.Cancel(DueTimer);
                _nextDue = null;
                _log.Info("Account {0}: {1}", _accountId, next.Note);
                break;
            case ScheduleStep.Due when next.Due is { } due:
                // The first slot of a fresh start is worth a line: staggering can put it most of an interval away.
                if (_nextDue is null && _sessionStartedAt is null)
                {
                    _log.Info("Account {0}: {1}", _accountId, next.Note);
                }
                else
                {
                    _log.Debug("Account {0}: {1}", _accountId, next.Note);
                }

                _nextDue = due;
                var delay = due - now;
                Timers.StartSingleTimer(DueTimer, CollectionDue.Instance, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
                break;
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
