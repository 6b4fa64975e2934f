using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using CollectorCluster.Actors.Collection;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;
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
        var previousSettings = _settings;
        _settings = command.Settings;
        _scheduled = command.Scheduled;
        var applied = new AccountConfigured(_settings.Address, _settings.Mailbox, _settings.LeaveMailOnServer, _env.Clock.GetUtcNow());
        var previous = _state.Configuration;
        var changed = previous is null || previous.Address != applied.Address || previous.Mailbox != applied.Mailbox || previous.LeaveMailOnServer != applied.LeaveMailOnServer;
        var sender = Sender;
        if (changed)
        {
            Persist(applied, e => _state = _state.Apply(e));
        }

        if (previousSettings is not null && !previousSettings.Equals(_settings))
        {
            _env.OAuth2.Forget(_accountId); // a new client or refresh token must not be served an old access token
        }

        // A changed configuration (a new password, say) is the other way out of NeedsOperator.
        if (previousSettings is not null && !previousSettings.Equals(_settings) && _state.Policy.Health != AccountHealth.Healthy)
        {
            PersistPolicy([new AccountHealthChanged(nameof(AccountHealth.Healthy), "", null, _env.Clock.GetUtcNow())], "configuration changed");
        }

        WarnAboutExpire();

        DeferAsync(applied, _ =>
        {
            ScheduleNext();
            if (!sender.IsNobody())
            {
                sender.Tell(new AccountAck(_accountId));
            }
        });
    }

    private void RequestCollection(IActorRef? replyTo)
    {
        if (replyTo is not null && !replyTo.IsNobody())
        {
            _waiting.Add(replyTo);
        }

        if (_settings is null)
        {
            ReplyToWaiting(new CollectionResult(_accountId, "", false, 0, 0, 0, 0, TimeSpan.Zero, "account is not configured on this node"));
            return;
        }

        if (_stop is not null || _stopping)
        {
            return; // joins the running session; stopping accounts start nothing new
        }

        if (!_settings.Enabled)
        {
            ReplyToWaiting(new CollectionResult(_accountId, _settings.Address, false, 0, 0, 0, 0, TimeSpan.Zero, "account is disabled"));
            return;
        }

        if (_state.Paused)
        {
            ReplyToWaiting(new CollectionResult(_accountId, _settings.Address, false, 0, 0, 0, 0, TimeSpan.Zero, "account is paused (collector resume " + _accountId + ")"));
            return;
        }

        if (_state.Policy.Health == AccountHealth.NeedsOperator)
        {
            // Never retried by itself, and not by a plain "collect" either: a refused password stays refused.
            ReplyToWaiting(new CollectionResult(_accountId, _settings.Address, false, 0, 0, 0, 0, TimeSpan.Zero, $"needs operator: {_state.Policy.Reason}"));
            return;
        }

        if (ServerPolicy.LoginGate(_state.Policy.LastLoginAt, _state.Policy.LoginDelay) is { } gate && gate > _env.Clock.GetUtcNow())
        {
            ReplyToWaiting(new CollectionResult(_accountId, _settings.Address, false, 0, 0, 0, 0, TimeSpan.Zero, $"the server's LOGIN-DELAY allows the next login at {gate:u}"));
            ScheduleNext();
            return;
        }

        // The fence: the session starts only once this incarnation's write succeeded. A stale incarnation elsewhere
        // fails its next write on the shared journal's unique (persistence_id, sequence_nr) and stops (default
        // OnPersistFailure), and stopping cancels its session (PostStop), so a mailbox never has two sessions.
        // Persist stashes other commands until it is written, so nothing starts a second session meanwhile.
        var settings = _settings;
        Persist(new SessionStarted(_env.Clock.GetUtcNow()), _ => StartSession(settings));
    }

    // A session that collected everything it listed may have seen only a window (Gmail): open another, LOGIN-DELAY permitting.
    private bool ContinueRound(SessionOutcome outcome, string address)
    {
        if (!_round.ShouldContinue(outcome, _env.Tuning.MaxSessionsPerRound, _env.Tuning.RoundMinListed) || _settings is not { Enabled: true } || _state.Policy.Health != AccountHealth.Healthy)
        {
            return false;
        }

        var now = _env.Clock.GetUtcNow();
        var gate = ServerPolicy.LoginGate(_state.Policy.LastLoginAt, _state.Policy.LoginDelay);
        if (gate > now)
        {
            // Nobody waits out a LOGIN-DELAY (Gmail: 5 minutes): the waiters hear now, the round goes on later.
            ReplyToWaiting(_round.Flush(_accountId, address, outcome, $"the server listed only a window; the round continues at {gate:u} (LOGIN-DELAY)"));
        }
        else
        {
            _round.Add(outcome);
        }

        _log.Info("Account {0}: the session collected all {1} listed message(s); another session of this round{2}", _accountId, outcome.Listed, gate > now ? $" at {gate:u} (LOGIN-DELAY)" : "");
        _nextDue = gate > now ? gate : now;
        Timers.StartSingleTimer(DueTimer, CollectionDue.Instance, gate is { } g && g > now ? g - now : TimeSpan.Zero);
        return true;
    }

    private void Resume(ResumeAccount command)
    {
        var sender = Sender;
        var previous = _state.Policy.Health;
        if (previous == AccountHealth.Healthy)
        {
            sender.Tell(new ResumeResult(_accountId, previous.ToString(), "was healthy; nothing to resume"));
            return;
        }

        PersistPolicy([new AccountHealthChanged(nameof(AccountHealth.Healthy), "", null, _env.Clock.GetUtcNow())], "resumed by operator");
        DeferAsync(command, _ =>
        {
            ScheduleNext();
            sender.Tell(new ResumeResult(_accountId, previous.ToString(), "resumed: the schedule runs again (LOGIN-DELAY still applies)"));
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
        var run = new CollectionRun(settings, _state, _env, new ActorRecorder(Self));
        var stop = _stop.Token;
        var abort = _abort.Token;
        Task.Run(() => run.ExecuteAsync(stop, abort), abort)
            .PipeTo(Self, success: o => new SessionEnded(o), failure: e => new SessionEnded(null, e));
    }

    private void Mark(MarkMessage command)
    {
        var sender = Sender;
        var uidl = command.Uidl;
        if (string.IsNullOrWhiteSpace(uidl))
        {
            sender.Tell(new MarkResult(_accountId, uidl ?? "", false, "refused: a mark needs a UIDL"));
            return;
        }

        var now = _env.Clock.GetUtcNow();
        IAccountEvent e;
        string done;
        switch (command.Action)
        {
            case MarkAction.Download when !_state.HasCollected(uidl) && !_state.Oversize.ContainsKey(uidl): // oversize: the operator overrides the skip
                sender.Tell(new MarkResult(_accountId, uidl, false, $"refused: {uidl} has not been collected (or the server no longer lists it), so there is nothing to download again"));
                return;
            case MarkAction.Download:
                e = new MessageMarked(uidl, nameof(MessageMark.Download), now);
                done = "marked for download: the next session collects it again";
                break;
            case MarkAction.Delete:
                e = new MessageMarked(uidl, nameof(MessageMark.Delete), now);
                done = "marked for deletion: the next session deletes it on the server if it is still listed";
                break;
            case MarkAction.Clear when !_state.Marks.ContainsKey(uidl):
                sender.Tell(new MarkResult(_accountId, uidl, true, "had no mark"));
                return;
            case MarkAction.Clear:
                e = new MarkCleared(uidl, now);
                done = "mark cleared";
                break;
            default:
                sender.Tell(new MarkResult(_accountId, uidl, false, $"refused: unknown action {command.Action}"));
                return;
        }

        Persist(e, persisted =>
        {
            _state = _state.Apply(persisted);
            sender.Tell(new MarkResult(_accountId, uidl, true, done));
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
        var policyEvents = SessionPolicy.EventsAfter(_state.Apply(outcome.Event), outcome, _env.Tuning, _env.Clock.GetUtcNow());
        if (policyEvents.Count > 0)
        {
            PersistPolicy(policyEvents); // journalled before the outcome, so its callback schedules by the new policy
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
            }
        });
    }

    private SessionOutcome Crashed(Exception? error)
    {
        var now = _env.Clock.GetUtcNow();
        var started = _sessionStartedAt ?? now;
        var message = error?.GetBaseException().Message ?? "session ended without an outcome";
        return new SessionOutcome(new CollectionFailed(started, now, "internal", message, 0, 0), false, 0, 0, 0, 0, now - started, "internal: " + message);
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
        if (_settings is null || !_settings.Enabled || !_scheduled || _stop is not null || _state.Paused)
        {
            return;
        }

        if (_state.Policy.Health == AccountHealth.NeedsOperator)
        {
            Timers.Cancel(DueTimer);
            _nextDue = null;
            _log.Info("Account {0}: not scheduled, needs operator: {1}", _accountId, _state.Policy.Reason);
            return;
        }

        var now = _env.Clock.GetUtcNow();
        var due = CollectionSchedule.NextDue(_accountId, _settings.CheckEvery, now, _state.LastCollection?.StartedAt, _env.Tuning.JitterFraction, _jitter.NextDouble());
        if (_state.LastCollection is { Succeeded: false } last && _state.ConsecutiveFailures > 0 && _state.Policy.NotBefore is null)
        {
            var retryAt = last.FinishedAt + CollectionSchedule.BackoffDelay(_state.ConsecutiveFailures, _env.Tuning.RetryBase, _env.Tuning.RetryMax);
            if (retryAt > due)
            {
                due = retryAt;
            }
        }

        // The server policy's retry time (shorter for IN-USE, longer for repeated faults), then LOGIN-DELAY over all.
        if (_state.Policy.Health != AccountHealth.Healthy && _state.Policy.NotBefore is { } notBefore
            && (notBefore > due || _state.Policy.Health == AccountHealth.RetryingTransient))
        {
            due = notBefore;
        }

        due = ServerPolicy.Honour(due, _state.Policy.LastLoginAt, _state.Policy.LoginDelay);

        // The first slot of a fresh start is worth a line: staggering can put it most of an interval away.
        var backoff = _state.ConsecutiveFailures > 0 ? $", backing off after {_state.ConsecutiveFailures} failure(s)" : "";
        var line = $"Account {_accountId}: next collection at {due:u} (every {_settings.CheckEvery}{backoff})";
        if (_nextDue is null && _sessionStartedAt is null)
        {
            _log.Info("{0}", line);
        }
        else
        {
            _log.Debug("{0}", line);
        }

        _nextDue = due;
        var delay = due - now;
        Timers.StartSingleTimer(DueTimer, CollectionDue.Instance, delay < TimeSpan.Zero ? TimeSpan.Zero : delay);
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
        _state.Policy.Health.ToString(),
        _state.Policy.Reason,
        _state.Policy.LastLoginAt,
        _state.Policy.LoginDelaySeconds,
        _state.Policy.Expire,
        _expireWarning,
        _state.Paused);
}
