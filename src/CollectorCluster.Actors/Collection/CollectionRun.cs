using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Delivery;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Planning;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.State;
using CollectorCluster.Delivery;
using CollectorCluster.Pop3;

namespace CollectorCluster.Actors.Collection;

/// <summary>
/// One POP3 session for one account, in the order that makes it safe: deliver, then record; record, then DELE;
/// record the intent to delete before DELE; deletions count only after QUIT answered +OK; an absence counts only after
/// the listing it was seen in is committed. A crash anywhere costs at worst a re-check, never a lost or doubled message
/// (the destination recognises what it already holds). The decisions are Core's (planner, mirror, absence rule); this
/// class carries them out.
/// </summary>
public sealed class CollectionRun
{
    private readonly AccountSettings _account;
    private AccountState _state; // advanced with what this run records, so a reconnect after a commit replans from it
    private readonly CollectionEnvironment _env;
    private readonly ICollectionRecorder _recorder;
    private readonly MailboxScope _scope;
    private readonly List<string> _warnings = [];
    private readonly List<(string Key, DeletionReason Reason)> _pendingDeletes = [];
    private CollectionStage _stage = CollectionStage.Connect;
    private int _listed;
    private int _collected;
    private long _bytes;
    private int _committed; // deletions committed by earlier commit-every chunks of this run
    private int _chunks; // reconnections made for commit-every
    private FailureCause _cause = FailureCause.Other;
    private Pop3ServerCapabilities? _capabilities;
    private DateTimeOffset? _loggedInAt;
    private IConnectionLease? _lease; // told of progress, so a session that moves keeps its lease
    private string? _refusal; // collecting would break a promise: nothing done, the operator is needed
    private bool _stoppedEarly; // a stop request ended the run before everything planned was done
    private int _unrecorded; // delivered, but the journal failed to record them

    /// <summary>Prepares a run from a snapshot of the account's state.</summary>
    public CollectionRun(AccountSettings account, AccountState state, CollectionEnvironment env, ICollectionRecorder recorder)
    {
        _account = account;
        _state = state;
        _env = env;
        _recorder = recorder;
        _scope = state.ScopeFor(account.Id);
    }

    /// <summary>
    /// Runs the session. <paramref name="stopRequested"/> asks it to stop after the message in flight, record what was
    /// delivered, commit and end; a message in flight that has not finished <see cref="CollectionTuning.StopGrace"/>
    /// after the request is given up (it stays on the server). <paramref name="abort"/> cuts it off at once: the account
    /// is gone, so nothing more is recorded (the server then rolls back uncommitted deletions).
    /// Never throws for POP3, delivery or journal errors: they become a <see cref="CollectionFailed"/> outcome.
    /// </summary>
    public async Task<SessionOutcome> ExecuteAsync(CancellationToken stopRequested, CancellationToken abort)
    {
        var started = _env.Clock.GetUtcNow();
        IPop3Session? session = null;
        IConnectionLease? lease = null;
        using var io = CancellationTokenSource.CreateLinkedTokenSource(abort);
        using var grace = stopRequested.Register(() => io.CancelAfter(_env.Tuning.StopGrace));
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopRequested, abort);
        try
        {
            if (!await WaitOnlineAsync(waiting.Token, stopRequested, abort).ConfigureAwait(false))
            {
                return Stopped(started, "the node was offline (local-area-network = off) until the account stopped; nothing collected");
            }

            try
            {
                lease = await _env.Leases.AcquireAsync(_account.Id, _account.Pop3Server, _account.Priority, waiting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopRequested.IsCancellationRequested && !abort.IsCancellationRequested)
            {
                return Stopped(started, "stopped while waiting for a connection token; nothing collected");
            }

            // A revoked lease (no progress for lease-timeout) ends the session's I/O: it never runs on without one.
            _lease = lease;
            using var revoked = lease.Lost.Register(io.Cancel);

            try
            {
                session = await AccountConnector.ConnectAsync(_account, _state, _env, _recorder, io.Token).ConfigureAwait(false);
            }
            finally
            {
                lease.MarkConnected(); // the half-open attempt is over either way
            }

            _loggedInAt = _env.Clock.GetUtcNow();
            _capabilities = session.Capabilities;

            // commit-every: each chunk ends with its own QUIT, so a dropped link loses at most one chunk's deletions;
            // the rest is replanned over a new connection (message numbers change), from the state this run recorded.
            while (true)
            {
                var progress = _collected + _committed;
                var chunk = await RunChunkAsync(session, started, stopRequested, io.Token, abort).ConfigureAwait(false);
                session = null;
                if (!chunk.QuitConfirmed)
                {
                    return Failed(started, $"the server did not confirm QUIT; {_pendingDeletes.Count} deletion(s) not committed, they are retried next session");
                }

                _committed += chunk.Deleted;
                if (!chunk.More || stopRequested.IsCancellationRequested || _collected + _committed == progress)
                {
                    break;
                }

                _stage = CollectionStage.Connect;
                _chunks++;
                session = await AccountConnector.ConnectAsync(_account, _state, _env, _recorder, io.Token).ConfigureAwait(false);
                _loggedInAt = _env.Clock.GetUtcNow();
            }

            if (_refusal is { } refusal)
            {
                _cause = FailureCause.Unsafe;
                _stage = CollectionStage.List; // decided from the listing; the session itself ended cleanly
                return Failed(started, refusal);
            }

            var finished = _env.Clock.GetUtcNow();
            var completed = new CollectionCompleted(started, finished, _listed, _collected, _committed, _bytes, _warnings.ToList());
            _cause = FailureCause.None;
            return Observed(new SessionOutcome(completed, true, _listed, _collected, _committed, _bytes, finished - started, string.Join("; ", _warnings))
            {
                Interrupted = _stoppedEarly || stopRequested.IsCancellationRequested,
            });
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var (error, sessionUsable) = Describe(e, stopRequested, abort);
            return await FailAfterAsync(session, started, error, sessionUsable, stopRequested, abort).ConfigureAwait(false);
        }
        finally
        {
            // Held until the connection is closed, including a QUIT on the failure path.
            lease?.Dispose();
        }
    }

    /// <summary>
    /// Not a LAN account and the node is offline: waits (without polling) until it goes online. False when the account
    /// was asked to stop first.
    /// </summary>
    private async Task<bool> WaitOnlineAsync(CancellationToken either, CancellationToken stopRequested, CancellationToken abort)
    {
        if (_account.LocalAreaNetwork || _env.Online.IsOnline)
        {
            return true;
        }

        _stage = CollectionStage.WaitForOnline;
        try
        {
            await _env.Online.WaitOnlineAsync(either).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (stopRequested.IsCancellationRequested && !abort.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// What a failure tells the operator, the cause the server policy acts on (set on the run), and whether the POP3
    /// link still works, so QUIT can commit the deletions of messages already recorded.
    /// </summary>
    private (string Error, bool SessionUsable) Describe(Exception e, CancellationToken stopRequested, CancellationToken abort)
    {
        switch (e)
        {
            case Pop3Exception { Overrun: { } overrun } pop3:
                _cause = Pop3FailureClassifier.Classify(pop3);
                _stage = _stage == CollectionStage.Deliver ? CollectionStage.Retrieve : _stage; // the source broke, not the destination
                return ($"{pop3.Message}. {WayOut(overrun)}", false);
            case Pop3Exception pop3:
                _cause = Pop3FailureClassifier.Classify(pop3);
                _stage = pop3.Stage == Pop3Stage.Retrieve && _stage == CollectionStage.Deliver ? CollectionStage.Retrieve : _stage; // the source broke, not the destination
                return (pop3.Message, pop3.Kind is Pop3ErrorKind.ServerRefused && pop3.Stage is Pop3Stage.Retrieve or Pop3Stage.Delete);
            case OAuth2.OAuth2Exception oauth:
                _cause = oauth.GrantRefused ? FailureCause.OAuthGrantRefused : FailureCause.Network;
                return (oauth.Message, false);
            case OperationCanceledException when _lease?.Lost.IsCancellationRequested == true:
                return ("aborted: no progress within lease-timeout, so its connection lease was revoked", false);
            case OperationCanceledException when abort.IsCancellationRequested:
                return ("aborted (node stopping)", false);
            case OperationCanceledException when stopRequested.IsCancellationRequested:
                _cause = FailureCause.Stopped;
                return ($"stopped: the message in flight did not finish within {_env.Tuning.StopGrace.TotalSeconds:0}s of the stop request; it stays on the server for the next session", false);
            case DeliveryRefusedException refused:
                // 4xx / EX_TEMPFAIL: back off and retry; 5xx and other refusals: the same delivery cannot succeed, park.
                _cause = refused.Transient ? FailureCause.Other : FailureCause.DeliveryRefused;
                return (refused.Message, false);
            case JournalFailedException journal:
                // Nothing after the failed write is known to be recorded: no QUIT, so the server keeps every deletion.
                return (journal.Message, false);
            case IOException when _stage == CollectionStage.Deliver:
                return ($"delivery to {_account.Mailbox} failed: {e.Message}", false);
            default:
                return ($"{e.GetType().Name}: {e.Message}", false);
        }
    }

    /// <summary>What an operator can do about a message larger than its listing says, which every session would stop at.</summary>
    private string WayOut(Pop3BodyOverrun overrun)
    {
        var raise = overrun.ByMaxMessageSize
            ? $"raise max-message-size above its real size (the limit then stops at twice the listed {overrun.ListedSize} bytes plus collector.pop3.body-slack)"
            : "raise collector.pop3.body-slack above what it sends beyond twice its listed size";
        var delete = overrun.Uidl is { } uidl ? $"`collector mark {_account.Id} {uidl} delete --yes` deletes it on the server unread, or " : "";
        return $"The message stays on the server and every session would stop at it: {delete}{raise}; then `collector resume`";
    }

    /// <summary>One connection's share of the run: LIST, plan, fetch, DELE, QUIT, then what the committed listing showed.</summary>
    private async Task<ChunkResult> RunChunkAsync(IPop3Session session, DateTimeOffset started, CancellationToken stopRequested, CancellationToken io, CancellationToken abort)
    {
        _stage = CollectionStage.List;
        var listing = await session.ListAsync(io).ConfigureAwait(false);
        _lease?.Progress();
        _warnings.AddRange(session.Warnings.Where(w => !_warnings.Contains(w))); // e.g. UIDLs keyed by digest
        var listedAt = _env.Clock.GetUtcNow();
        var first = _chunks == 0;
        if (first)
        {
            _listed = listing.Count; // the mailbox as the run found it
            _state = await RekeyIfMigratedAsync(session, listing, io).ConfigureAwait(false);
        }

        var supportsUidl = listing.Count == 0 || listing.Any(m => m.Uidl is not null);
        var options = new CollectionOptions(_account.LeaveMailOnServer, _account.DeleteAfterDays, _account.DownloadSmallestFirst, supportsUidl);
        var plan = _refusal is null ? CollectionPlanner.Plan(listing, _state, options, started) : null;
        if (plan?.Refusal is { } refusal)
        {
            _refusal = refusal;
        }

        if (_refusal is not null || plan is null)
        {
            // Nothing is fetched or deleted; QUIT ends the session cleanly.
            return new ChunkResult(await QuitAsync(session, io).ConfigureAwait(false) is not null, 0, false);
        }

        if (plan.Confirmed.Count > 0)
        {
            // Our own deletions an earlier QUIT committed without their record: recorded now, never taken for absences.
            _stage = CollectionStage.Record;
            await RecordAsync(plan.Confirmed.GroupBy(c => c.Reason, StringComparer.Ordinal)
                .Select(g => (IAccountEvent)new MessagesDeletedOnServer(g.Select(c => c.Uidl).ToList(), g.Key, listedAt))
                .ToList()).ConfigureAwait(false);
            _warnings.Add($"{plan.Confirmed.Count} deletion(s) an earlier session committed without recording them are recorded now.");
        }

        plan = await LimitSizeAsync(plan, started).ConfigureAwait(false);
        var absence = first ? await AbsenceAsync(plan, listing, listedAt).ConfigureAwait(false) : null;
        plan = absence?.Plan ?? plan;
        plan = await ProveRekeysAsync(session, plan, io).ConfigureAwait(false);
        var chunk = CommitChunker.First(plan, _account.CommitEvery);
        plan = chunk.Plan;
        _warnings.AddRange(plan.Warnings.Where(w => !_warnings.Contains(w))); // a replanned chunk repeats them

        if (plan.Fetch.Count > 0)
        {
            await FetchAsync(session, plan, started, stopRequested, io, abort).ConfigureAwait(false);
        }

        if (plan.Delete.Count > 0 && !stopRequested.IsCancellationRequested)
        {
            // The intent first: a QUIT that commits these without their record must not make them look hidden or
            // deleted by someone else next session.
            _stage = CollectionStage.Record;
            await RecordAsync([new DeletionsIntended(plan.Delete.Select(d => new IntendedDeletion(d.Message.Uidl!, d.Reason.ToString())).ToList(), _env.Clock.GetUtcNow())]).ConfigureAwait(false);
            _stage = CollectionStage.Delete;
            await session.DeleteAsync(plan.Delete.Select(d => d.Message).ToList(), io).ConfigureAwait(false);
            _pendingDeletes.AddRange(plan.Delete.Select(d => (d.Message.Uidl!, d.Reason)));
        }

        if (await QuitAsync(session, io).ConfigureAwait(false) is not { } deleted)
        {
            return new ChunkResult(QuitConfirmed: false, 0, chunk.More);
        }

        if (absence is not null)
        {
            await FinishAbsenceAsync(absence, listedAt).ConfigureAwait(false);
        }

        return new ChunkResult(QuitConfirmed: true, deleted, chunk.More);
    }

    /// <summary>
    /// Before fetching, on the first listing of the run: what its absences mean (<see cref="AbsenceRule"/>), and with
    /// Mirror Mailbox both directions of mirroring (<see cref="MirrorPlanner"/>), recording the local deletions it saw.
    /// </summary>
    private async Task<MirrorPlan> AbsenceAsync(CollectionPlan plan, IReadOnlyList<ListedMessage> listing, DateTimeOffset listedAt)
    {
        if (!_account.MirrorMailbox)
        {
            var decision = AbsenceRule.Decide(_state, plan.Absent, listedAt);
            return new MirrorPlan(plan, [], decision.Noted, plan.Reappeared, [], decision.Gone, false);
        }

        _stage = CollectionStage.Mirror;
        var destination = _env.Destination(_account.Mailbox) as IMirrorableDestination
            ?? throw new InvalidOperationException($"mirror-mailbox: the mailbox {_account.Mailbox} cannot be mirrored (only maildir: can)");
        var held = destination.Holding(_scope, _state.Collected.Values.Select(m => m.StoredKey).ToList());
        var mirror = MirrorPlanner.Plan(plan, listing, _state, held, _account.MirrorMaxShare, _capabilities?.Expire, listedAt);
        if (mirror.LocalDeletions.Count > 0)
        {
            await RecordAsync([new LocalDeletionObserved(mirror.LocalDeletions, listedAt)]).ConfigureAwait(false);
        }

        return mirror;
    }

    /// <summary>
    /// After QUIT +OK (so the listing counts as committed): remove the local copies of messages gone from the server
    /// (Mirror Mailbox), forget those the rule takes as gone otherwise, and note the rest. A copy that cannot be removed
    /// is reported and stays noted.
    /// </summary>
    private async Task FinishAbsenceAsync(MirrorPlan absence, DateTimeOffset listedAt)
    {
        var events = new List<IAccountEvent>();
        var plan = absence.Plan;
        var noted = absence.Noted.ToList();
        if (absence.LocalRemovals.Count > 0)
        {
            _stage = CollectionStage.Mirror;
            var destination = (IMirrorableDestination)_env.Destination(_account.Mailbox);
            var removed = new List<string>();
            foreach (var uidl in absence.LocalRemovals)
            {
                try
                {
                    destination.Remove(_scope, _state.Collected.TryGetValue(uidl, out var m) ? m.StoredKey : uidl);
                    removed.Add(uidl);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _warnings.Add($"Mirror: the local copy of UIDL \"{uidl}\" (deleted on the server) could not be removed: {e.Message}");
                    noted.Add(uidl);
                }
            }

            if (removed.Count > 0)
            {
                events.Add(new LocalCopiesRemoved(removed, listedAt));
                _warnings.Add($"Mirror: {removed.Count} message(s) deleted on the server removed from the local mailbox.");
            }
        }

        var forget = absence.Forget.Concat(plan.Vanished).ToList();
        if (forget.Count > 0)
        {
            events.Add(new MessagesVanished(forget, listedAt));
        }

        if (noted.Count > 0 || absence.Reappeared.Count > 0)
        {
            events.Add(new AbsenceNoted(noted, absence.Reappeared, listedAt));
        }

        if (events.Count > 0)
        {
            _stage = CollectionStage.Record;
            await RecordAsync(events).ConfigureAwait(false);
        }
    }

    /// <summary>Applies max-message-size and journals what it skipped or postponed (an empty report clears an old one).</summary>
    private async Task<CollectionPlan> LimitSizeAsync(CollectionPlan plan, DateTimeOffset at)
    {
        var limited = SizeLimitPlanner.Apply(plan, _state, new SizeLimit(_account.MaxMessageSize, _account.Oversize));
        if (limited.Oversize.Count > 0 || !_state.Oversize.IsEmpty)
        {
            var entries = limited.Oversize.Select(o => new OversizeEntry(o.Message.Uidl, o.Message.Number, o.Message.Size)).ToList();
            await RecordAsync([new OversizeMessagesReported(entries, _account.MaxMessageSize, _account.Oversize.ToString(), at)]).ConfigureAwait(false);
        }

        return limited.Plan;
    }

    /// <summary>
    /// RETR in batches; every batch is flushed (made durable) and recorded before its DELE, and before an error is
    /// passed on: a link dropped mid-batch loses nothing already delivered. A stop request lets the message in flight
    /// finish; the rest of its pipelined batch streams past undelivered, so the session stays usable for QUIT.
    /// </summary>
    private async Task FetchAsync(IPop3Session session, CollectionPlan plan, DateTimeOffset firstSeen, CancellationToken stopRequested, CancellationToken io, CancellationToken abort)
    {
        var destination = _env.DestinationFor(_account, _recorder);
        await using var delivery = await destination.OpenAsync(_scope, io).ConfigureAwait(false);
        var deliveredInPlan = 0;
        foreach (var batch in Batches(plan.Fetch, destination.PreferredBatchMessages))
        {
            if (stopRequested.IsCancellationRequested)
            {
                break;
            }

            var events = new List<MessageCollected>(batch.Count);
            var delivered = new List<ListedMessage>(batch.Count);
            _stage = CollectionStage.Retrieve;
            try
            {
                await session.RetrieveAsync(
                    batch,
                    async (message, content, ct) =>
                    {
                        if (stopRequested.IsCancellationRequested)
                        {
                            await content.CopyToAsync(Stream.Null, ct).ConfigureAwait(false); // stopped: read past it, deliver nothing
                            return;
                        }

                        _stage = CollectionStage.Deliver;
                        using var captured = new FingerprintingStream(content);
                        var receipt = await delivery.DeliverAsync(message.Uidl, captured, ct).ConfigureAwait(false);
                        await captured.ReadToEndAsync(ct).ConfigureAwait(false); // the digest covers the whole message
                        var storedAs = message.Uidl is not null && receipt.Key != message.Uidl ? receipt.Key : null;
                        events.Add(new MessageCollected(message.Uidl ?? receipt.Key, receipt.Bytes, firstSeen, _env.Clock.GetUtcNow(), receipt.AlreadyPresent, captured.Fingerprint, storedAs, captured.Digest));
                        delivered.Add(message);
                        _lease?.Progress();
                        _stage = CollectionStage.Retrieve;
                    },
                    io).ConfigureAwait(false);
            }
            catch (Exception) when (events.Count > 0 && !abort.IsCancellationRequested)
            {
                // Journal what was delivered before passing the error on; if that fails too, the error stays the first one
                // (the destination still recognises the messages next session).
                var stage = _stage;
                try
                {
                    await CommitDeliveredAsync(delivery, events, [], CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _warnings.Add($"{events.Count} delivered message(s) could not be recorded after the failure: {e.Message}");
                }

                _stage = stage;
                throw;
            }

            var intents = plan.DeleteAfterFetch && events.Count > 0
                ? new DeletionsIntended(events.Select(e => new IntendedDeletion(e.Uidl, nameof(DeletionReason.NotLeftOnServer))).ToList(), _env.Clock.GetUtcNow())
                : null;
            await CommitDeliveredAsync(delivery, events, intents is null ? [] : [intents], io).ConfigureAwait(false);
            deliveredInPlan += events.Count;

            if (intents is not null)
            {
                // Also when stopping: these are recorded, and the QUIT that ends the session commits them.
                _stage = CollectionStage.Delete;
                await session.DeleteAsync(delivered, io).ConfigureAwait(false);
                _pendingDeletes.AddRange(events.Select(e => (e.Uidl, DeletionReason.NotLeftOnServer)));
            }
        }

        if (stopRequested.IsCancellationRequested && deliveredInPlan < plan.Fetch.Count)
        {
            _stoppedEarly = true;
            _warnings.Add($"stopped early: {plan.Fetch.Count - deliveredInPlan} message(s) left for the next session");
        }
    }

    /// <summary>Makes the batch durable at the destination, then records it (with the deletions it intends, if any).</summary>
    private async Task CommitDeliveredAsync(IDeliverySession delivery, List<MessageCollected> events, IReadOnlyList<IAccountEvent> intents, CancellationToken cancellationToken)
    {
        _stage = CollectionStage.Deliver;
        await delivery.FlushAsync(cancellationToken).ConfigureAwait(false);
        _stage = CollectionStage.Record;
        try
        {
            await RecordAsync([.. events, .. intents]).ConfigureAwait(false);
        }
        catch (Exception) when (events.Count > 0)
        {
            _unrecorded += events.Count;
            throw;
        }

        _collected += events.Count;
        _bytes += events.Sum(e => e.Size);
    }

    /// <summary>QUIT, then record what it committed. Returns the number deleted, or null when QUIT was not confirmed.</summary>
    private async Task<int?> QuitAsync(IPop3Session session, CancellationToken cancellationToken)
    {
        _stage = CollectionStage.Quit;
        bool committed;
        try
        {
            committed = await session.QuitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }

        if (!committed)
        {
            return null;
        }

        if (_pendingDeletes.Count > 0)
        {
            _stage = CollectionStage.Record;
            var at = _env.Clock.GetUtcNow();
            await RecordAsync(_pendingDeletes.GroupBy(d => d.Reason)
                .Select(g => (IAccountEvent)new MessagesDeletedOnServer(g.Select(d => d.Key).ToList(), g.Key.ToString(), at))
                .ToList()).ConfigureAwait(false);
        }

        var count = _pendingDeletes.Count;
        _pendingDeletes.Clear(); // committed and recorded: a later chunk starts with none pending
        return count;
    }

    private async Task<SessionOutcome> FailAfterAsync(IPop3Session? session, DateTimeOffset started, string error, bool sessionUsable, CancellationToken stopRequested, CancellationToken abort)
    {
        var stage = _stage;
        if (session is not null)
        {
            if (sessionUsable && !abort.IsCancellationRequested)
            {
                // The link still works: commit the deletions of messages already recorded.
                try
                {
                    using var quit = CancellationTokenSource.CreateLinkedTokenSource(abort);
                    if (stopRequested.IsCancellationRequested)
                    {
                        quit.CancelAfter(_env.Tuning.StopGrace);
                    }

                    var deleted = await QuitAsync(session, quit.Token).ConfigureAwait(false);
                    if (deleted > 0)
                    {
                        error += $" ({deleted} deletion(s) committed before ending)";
                    }
                }
                catch (Exception e) when (e is Pop3Exception or IOException or OperationCanceledException or TimeoutException)
                {
                    error += $"; QUIT also failed: {e.Message}";
                }
            }
            else
            {
                await session.DisposeAsync().ConfigureAwait(false);
            }
        }

        _stage = stage;
        var failed = Failed(started, error);
        return failed with { Interrupted = _cause == FailureCause.Stopped || stopRequested.IsCancellationRequested };
    }

    private SessionOutcome Stopped(DateTimeOffset started, string error)
    {
        _cause = FailureCause.Stopped;
        return Failed(started, error) with { Interrupted = true };
    }

    private SessionOutcome Failed(DateTimeOffset started, string error)
    {
        var at = _env.Clock.GetUtcNow();
        if (_committed > 0)
        {
            error += $" ({_committed} deletion(s) committed by earlier commit-every chunks are kept)";
        }

        if (_unrecorded > 0)
        {
            error += $"; {_unrecorded} delivered message(s) are not recorded: they stay on the server, and the next session finds them at the destination (a Maildir holds each once; LMTP, SMTP and MDA may deliver them again)";
        }

        var stage = _stage.ToText();
        var failed = new CollectionFailed(started, at, stage, error, _collected, _bytes);
        return Observed(new SessionOutcome(failed, false, _listed, _collected, _committed, _bytes, at - started, $"{stage}: {error}"));
    }

    /// <summary>
    /// When most collected UIDLs vanished and same-sized new ones appeared (a provider migration), confirm by the
    /// header fingerprint of TOP n 0 and re-key instead of collecting the mailbox again. Without TOP, a few suspects
    /// are downloaded (not delivered) for their headers; more make the run refuse to collect
    /// (<see cref="Core.Uidl.UidlMigration.WithoutTop"/>): confirming would mean downloading the mailbox again, not
    /// confirming would deliver it twice. Returns the state to plan from.
    /// </summary>
    private async Task<AccountState> RekeyIfMigratedAsync(IPop3Session session, IReadOnlyList<ListedMessage> listing, CancellationToken cancellationToken)
    {
        var suspects = Core.Uidl.UidlMigration.Suspects(_state, listing);
        if (suspects.Count == 0)
        {
            return _state;
        }

        List<(ListedMessage, string?)> fingerprinted;
        if (session.Capabilities.Top)
        {
            _stage = CollectionStage.Top;
            fingerprinted = new List<(ListedMessage, string?)>(suspects.Count);
            foreach (var message in suspects)
            {
                var header = await session.TopHeaderAsync(message, 64 * 1024, cancellationToken).ConfigureAwait(false);
                fingerprinted.Add((message, Core.Uidl.HeaderFingerprint.Compute(header)));
            }
        }
        else if (suspects.Count <= Core.Uidl.UidlMigration.MaxConfirmedByDownload)
        {
            _stage = CollectionStage.Retrieve;
            fingerprinted = (await InspectAsync(session, suspects, cancellationToken).ConfigureAwait(false)).Select(s => (s.Message, s.Fingerprint)).ToList();
        }
        else
        {
            _refusal = Core.Uidl.UidlMigration.WithoutTop(suspects, _state);
            return _state;
        }

        var rekeys = Core.Uidl.UidlMigration.Match(_state, fingerprinted);
        if (rekeys.Count == 0)
        {
            return _state;
        }

        _stage = CollectionStage.Record;
        await RecordAsync([new UidlsRekeyed(rekeys, _env.Clock.GetUtcNow())]).ConfigureAwait(false);
        _warnings.Add($"the server changed the UIDLs of {rekeys.Count} collected message(s) (provider migration?); re-keyed by header fingerprint, not collected again");
        return _state;
    }

    /// <summary>
    /// Before re-keyed messages are deleted on the server: each is downloaded again (not delivered) and compared by
    /// content with what was delivered (<see cref="Core.Uidl.RekeyProof"/>). The verdict is recorded; what it does not
    /// prove is not deleted.
    /// </summary>
    private async Task<CollectionPlan> ProveRekeysAsync(IPop3Session session, CollectionPlan plan, CancellationToken cancellationToken)
    {
        var (download, unprovable) = Core.Uidl.RekeyProof.Needed(plan, _state);
        if (download.Count == 0 && unprovable.Count == 0)
        {
            return plan;
        }

        RekeysVerified? verdict = null;
        if (download.Count > 0)
        {
            _stage = CollectionStage.Retrieve;
            var seen = await InspectAsync(session, download.Select(d => d.Message).ToList(), cancellationToken).ConfigureAwait(false);
            verdict = Core.Uidl.RekeyProof.Judge(_state, seen.Select(s => (s.Message.Uidl!, s.Digest)).ToList(), _env.Clock.GetUtcNow());
            if (verdict is not null)
            {
                _stage = CollectionStage.Record;
                await RecordAsync([verdict]).ConfigureAwait(false);
            }
        }

        return Core.Uidl.RekeyProof.Withhold(plan, unprovable, verdict, _account.Id);
    }

    /// <summary>Downloads messages without delivering them: each one's header fingerprint and content digest.</summary>
    private static async Task<List<(ListedMessage Message, string? Fingerprint, string Digest)>> InspectAsync(IPop3Session session, IReadOnlyList<ListedMessage> messages, CancellationToken cancellationToken)
    {
        var seen = new List<(ListedMessage, string?, string)>(messages.Count);
        await session.RetrieveAsync(
            messages,
            async (message, content, ct) =>
            {
                using var read = new FingerprintingStream(content);
                await read.ReadToEndAsync(ct).ConfigureAwait(false);
                seen.Add((message, read.Fingerprint, read.Digest));
            },
            cancellationToken).ConfigureAwait(false);
        return seen;
    }

    /// <summary>Journals events (returns once they are persisted) and advances this run's view of the state with them.</summary>
    private async Task RecordAsync(IReadOnlyList<IAccountEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }

        await _recorder.RecordAsync(events).ConfigureAwait(false);
        foreach (var e in events)
        {
            _state = _state.Apply(e);
        }
    }

    // What the server policy needs besides the figures: the cause, and CAPA as seen after login.
    private SessionOutcome Observed(SessionOutcome outcome) =>
        outcome with { Cause = _cause, Capabilities = _capabilities, LoggedInAt = _loggedInAt };

    // A destination that cannot recognise an earlier delivery (LMTP, SMTP, MDA) asks for smaller batches.
    private IEnumerable<List<ListedMessage>> Batches(IReadOnlyList<ListedMessage> messages, int? preferredBatchMessages)
    {
        var limit = Math.Min(_env.Tuning.BatchMessages, preferredBatchMessages ?? int.MaxValue);
        var batch = new List<ListedMessage>();
        long bytes = 0;
        foreach (var message in messages)
        {
            batch.Add(message);
            bytes += message.Size;
            if (batch.Count >= limit || bytes >= _env.Tuning.BatchBytes)
            {
                yield return batch;
                batch = [];
                bytes = 0;
            }
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }
}
