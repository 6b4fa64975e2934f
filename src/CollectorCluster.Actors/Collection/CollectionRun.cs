using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Delivery;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Planning;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.State;
using CollectorCluster.Pop3;

namespace CollectorCluster.Actors.Collection;

/// <summary>
/// One POP3 session for one account, in the order that makes it safe: deliver, then record; record, then DELE;
/// deletions count only after QUIT answered +OK. A crash anywhere costs at worst a re-check, never a lost or
/// doubled message (the destination recognises what it already holds).
/// </summary>
public sealed class CollectionRun
{
    private readonly AccountSettings _account;
    private AccountState _state; // advanced with what this run records, so a reconnect after a commit replans from it
    private readonly CollectionEnvironment _env;
    private readonly ICollectionRecorder _recorder;
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

    /// <summary>Prepares a run from a snapshot of the account's state.</summary>
    public CollectionRun(AccountSettings account, AccountState state, CollectionEnvironment env, ICollectionRecorder recorder)
    {
        _account = account;
        _state = state;
        _env = env;
        _recorder = recorder;
    }

    /// <summary>
    /// Runs the session. <paramref name="stopRequested"/> asks it to finish the batch in flight, commit and end;
    /// <paramref name="abort"/> cuts it off (the server then rolls back uncommitted deletions).
    /// Never throws for POP3, delivery or journal errors: they become a <see cref="CollectionFailed"/> outcome.
    /// </summary>
    public async Task<SessionOutcome> ExecuteAsync(CancellationToken stopRequested, CancellationToken abort)
    {
        var started = _env.Clock.GetUtcNow();
        IPop3Session? session = null;
        IConnectionLease? lease = null;
        try
        {
            if (!await WaitOnlineAsync(stopRequested, abort).ConfigureAwait(false))
            {
                return Failed(started, "the node was offline (local-area-network = off) until the account stopped; nothing collected");
            }

            lease = await _env.Leases.AcquireAsync(_account.Id, _account.Pop3Server, _account.Priority, abort).ConfigureAwait(false);
            try
            {
                session = await AccountConnector.ConnectAsync(_account, _env, abort).ConfigureAwait(false);
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
                var chunk = await RunChunkAsync(session, started, stopRequested, abort).ConfigureAwait(false);
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
                session = await AccountConnector.ConnectAsync(_account, _env, abort).ConfigureAwait(false);
                _loggedInAt = _env.Clock.GetUtcNow();
            }

            var finished = _env.Clock.GetUtcNow();
            var completed = new CollectionCompleted(started, finished, _listed, _collected, _committed, _bytes, _warnings.ToList());
            _cause = FailureCause.None;
            return Observed(new SessionOutcome(completed, true, _listed, _collected, _committed, _bytes, finished - started, string.Join("; ", _warnings)));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var (error, sessionUsable) = Describe(e, abort);
            return await FailAfterAsync(session, started, error, sessionUsable, abort).ConfigureAwait(false);
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
    private async Task<bool> WaitOnlineAsync(CancellationToken stopRequested, CancellationToken abort)
    {
        if (_account.LocalAreaNetwork || _env.Online.IsOnline)
        {
            return true;
        }

        _stage = CollectionStage.WaitForOnline;
        using var either = CancellationTokenSource.CreateLinkedTokenSource(stopRequested, abort);
        try
        {
            await _env.Online.WaitOnlineAsync(either.Token).ConfigureAwait(false);
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
    private (string Error, bool SessionUsable) Describe(Exception e, CancellationToken abort)
    {
        switch (e)
        {
            case Pop3Exception pop3:
                _cause = Pop3FailureClassifier.Classify(pop3);
                _stage = pop3.Stage == Pop3Stage.Retrieve && _stage == CollectionStage.Deliver ? CollectionStage.Retrieve : _stage; // the source broke, not the destination
                return (pop3.Message, pop3.Kind is Pop3ErrorKind.ServerRefused && pop3.Stage is Pop3Stage.Retrieve or Pop3Stage.Delete);
            case OAuth2.OAuth2Exception oauth:
                _cause = oauth.GrantRefused ? FailureCause.OAuthGrantRefused : FailureCause.Network;
                return (oauth.Message, false);
            case OperationCanceledException when abort.IsCancellationRequested:
                return ("aborted (node stopping)", false);
            case IOException when _stage == CollectionStage.Deliver:
                return ($"delivery to {_account.Mailbox} failed: {e.Message}", false);
            default:
                return ($"{e.GetType().Name}: {e.Message}", false);
        }
    }

    /// <summary>One connection's share of the run: LIST, plan, fetch, DELE, QUIT.</summary>
    private async Task<ChunkResult> RunChunkAsync(IPop3Session session, DateTimeOffset started, CancellationToken stopRequested, CancellationToken abort)
    {
        _stage = CollectionStage.List;
        var listing = await session.ListAsync(abort).ConfigureAwait(false);
        _warnings.AddRange(session.Warnings.Where(w => !_warnings.Contains(w))); // e.g. UIDLs keyed by digest
        if (_chunks == 0)
        {
            _listed = listing.Count; // the mailbox as the run found it
        }

        var supportsUidl = listing.Count == 0 || listing.Any(m => m.Uidl is not null);
        var options = new CollectionOptions(_account.LeaveMailOnServer, _account.DeleteAfterDays, _account.DownloadSmallestFirst, supportsUidl);
        if (_chunks == 0)
        {
            _state = await RekeyIfMigratedAsync(session, listing, abort).ConfigureAwait(false);
        }

        var plan = CollectionPlanner.Plan(listing, _state, options, started);
        plan = await LimitSizeAsync(plan, started).ConfigureAwait(false);
        var mirror = _account.MirrorMailbox && _chunks == 0 ? await MirrorAsync(plan, listing, started).ConfigureAwait(false) : null;
        plan = mirror?.Plan ?? plan;
        var chunk = CommitChunker.First(plan, _account.CommitEvery);
        plan = chunk.Plan;
        _warnings.AddRange(plan.Warnings.Where(w => !_warnings.Contains(w))); // a replanned chunk repeats them

        if (plan.Vanished.Count > 0)
        {
            var vanished = new MessagesVanished(plan.Vanished, started);
            await _recorder.RecordVanishedAsync(vanished).ConfigureAwait(false);
            _state = _state.Apply(vanished);
        }

        if (plan.Fetch.Count > 0)
        {
            await FetchAsync(session, plan, started, stopRequested, abort).ConfigureAwait(false);
        }

        if (plan.Delete.Count > 0 && !stopRequested.IsCancellationRequested)
        {
            _stage = CollectionStage.Delete;
            await session.DeleteAsync(plan.Delete.Select(d => d.Message).ToList(), abort).ConfigureAwait(false);
            _pendingDeletes.AddRange(plan.Delete.Select(d => (d.Message.Uidl!, d.Reason)));
        }

        if (await QuitAsync(session, abort).ConfigureAwait(false) is not { } deleted)
        {
            return new ChunkResult(QuitConfirmed: false, 0, chunk.More);
        }

        if (mirror is not null)
        {
            await FinishMirrorAsync(mirror).ConfigureAwait(false);
        }

        return new ChunkResult(QuitConfirmed: true, deleted, chunk.More);
    }

    /// <summary>Mirror Mailbox, before fetching: compare the listing and the local mailbox with what was collected.</summary>
    private async Task<MirrorPlan> MirrorAsync(CollectionPlan plan, IReadOnlyList<ListedMessage> listing, DateTimeOffset at)
    {
        _stage = CollectionStage.Mirror;
        var destination = _env.Destination(_account.Mailbox) as IMirrorableDestination
            ?? throw new InvalidOperationException($"mirror-mailbox: the mailbox {_account.Mailbox} cannot be mirrored (only maildir: can)");
        var held = destination.Holding(_account.Id, _state.Collected.Keys.ToList());
        var mirror = MirrorPlanner.Plan(plan, listing, _state, held, _account.MirrorMaxShare);
        if (mirror.LocalDeletions.Count > 0)
        {
            await _recorder.RecordMirrorAsync(new LocalDeletionObserved(mirror.LocalDeletions, at)).ConfigureAwait(false);
        }

        return mirror;
    }

    /// <summary>
    /// Mirror Mailbox, after QUIT +OK (so the listing counts as committed): remove the local copies of messages absent
    /// from two committed listings, then note this listing's first absences. A copy that cannot be removed is reported
    /// and stays a candidate for the next session.
    /// </summary>
    private async Task FinishMirrorAsync(MirrorPlan mirror)
    {
        _stage = CollectionStage.Mirror;
        var at = _env.Clock.GetUtcNow();
        if (mirror.LocalRemovals.Count > 0)
        {
            var destination = (IMirrorableDestination)_env.Destination(_account.Mailbox);
            var removed = new List<string>();
            foreach (var uidl in mirror.LocalRemovals)
            {
                try
                {
                    destination.Remove(_account.Id, uidl);
                    removed.Add(uidl);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _warnings.Add($"Mirror: the local copy of UIDL \"{uidl}\" (deleted on the server) could not be removed: {e.Message}");
                }
            }

            if (removed.Count > 0)
            {
                var e = new LocalCopiesRemoved(removed, at);
                await _recorder.RecordMirrorAsync(e).ConfigureAwait(false);
                _state = _state.Apply(e);
                _warnings.Add($"Mirror: {removed.Count} message(s) deleted on the server removed from the local mailbox.");
            }
        }

        if (mirror.FirstAbsent.Count > 0 || mirror.Reappeared.Count > 0)
        {
            var noted = new MirrorAbsenceNoted(mirror.FirstAbsent, mirror.Reappeared, at);
            await _recorder.RecordMirrorAsync(noted).ConfigureAwait(false);
            _state = _state.Apply(noted);
        }
    }

    /// <summary>Applies max-message-size and journals what it skipped or postponed (an empty report clears an old one).</summary>
    private async Task<CollectionPlan> LimitSizeAsync(CollectionPlan plan, DateTimeOffset at)
    {
        var limited = SizeLimitPlanner.Apply(plan, _state, new SizeLimit(_account.MaxMessageSize, _account.Oversize));
        if (limited.Oversize.Count > 0 || !_state.Oversize.IsEmpty)
        {
            var entries = limited.Oversize.Select(o => new OversizeEntry(o.Message.Uidl, o.Message.Number, o.Message.Size)).ToList();
            await _recorder.RecordOversizeAsync(new OversizeMessagesReported(entries, _account.MaxMessageSize, _account.Oversize.ToString(), at)).ConfigureAwait(false);
        }

        return limited.Plan;
    }

    private async Task FetchAsync(IPop3Session session, CollectionPlan plan, DateTimeOffset firstSeen, CancellationToken stopRequested, CancellationToken abort)
    {
        var destination = _env.DestinationFor(_account, _recorder);
        await using var delivery = await destination.OpenAsync(_account.Id, abort).ConfigureAwait(false);
        foreach (var batch in Batches(plan.Fetch, destination.PreferredBatchMessages))
        {
            if (stopRequested.IsCancellationRequested)
            {
                _warnings.Add($"stopped early: {plan.Fetch.Count - _collected} message(s) left for the next session");
                break;
            }

            var events = new List<MessageCollected>(batch.Count);
            var retrieve = new List<ListedMessage>(batch.Count);
            foreach (var message in batch)
            {
                if (message.Uidl is not null && delivery.Contains(message.Uidl))
                {
                    events.Add(new MessageCollected(message.Uidl, message.Size, firstSeen, _env.Clock.GetUtcNow(), AlreadyPresent: true));
                }
                else
                {
                    retrieve.Add(message);
                }
            }

            _stage = CollectionStage.Retrieve;
            await session.RetrieveAsync(
                retrieve,
                async (message, content, ct) =>
                {
                    _stage = CollectionStage.Deliver;
                    var captured = new HeaderCapturingStream(content);
                    var receipt = await delivery.DeliverAsync(message.Uidl, captured, ct).ConfigureAwait(false);
                    events.Add(new MessageCollected(receipt.Key, receipt.Bytes, firstSeen, _env.Clock.GetUtcNow(), receipt.AlreadyPresent, captured.Fingerprint));
                    _stage = CollectionStage.Retrieve;
                },
                abort).ConfigureAwait(false);

            _stage = CollectionStage.Deliver;
            await delivery.FlushAsync(abort).ConfigureAwait(false);
            _stage = CollectionStage.Record;
            await _recorder.RecordCollectedAsync(events).ConfigureAwait(false);
            events.ForEach(e => _state = _state.Apply(e));
            _collected += events.Count;
            _bytes += events.Sum(e => e.Size);

            if (plan.DeleteAfterFetch)
            {
                _stage = CollectionStage.Delete;
                await session.DeleteAsync(batch, abort).ConfigureAwait(false);
                var keys = events.Select(e => e.Uidl);
                _pendingDeletes.AddRange(keys.Select(k => (k, DeletionReason.NotLeftOnServer)));
            }
        }
    }

    /// <summary>QUIT, then record what it committed. Returns the number deleted, or null when QUIT was not confirmed.</summary>
    private async Task<int?> QuitAsync(IPop3Session session, CancellationToken abort)
    {
        _stage = CollectionStage.Quit;
        bool committed;
        try
        {
            committed = await session.QuitAsync(abort).ConfigureAwait(false);
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
            foreach (var group in _pendingDeletes.GroupBy(d => d.Reason))
            {
                var deleted = new MessagesDeletedOnServer(group.Select(d => d.Key).ToList(), group.Key.ToString(), at);
                await _recorder.RecordDeletedAsync(deleted).ConfigureAwait(false);
                _state = _state.Apply(deleted);
            }
        }

        var count = _pendingDeletes.Count;
        _pendingDeletes.Clear(); // committed and recorded: a later chunk starts with none pending
        return count;
    }

    private async Task<SessionOutcome> FailAfterAsync(IPop3Session? session, DateTimeOffset started, string error, bool sessionUsable, CancellationToken abort)
    {
        var stage = _stage;
        if (session is not null)
        {
            if (sessionUsable && !abort.IsCancellationRequested)
            {
                // The link still works: commit the deletions of messages already recorded.
                try
                {
                    var deleted = await QuitAsync(session, abort).ConfigureAwait(false);
                    if (deleted > 0)
                    {
                        error += $" ({deleted} deletion(s) committed before ending)";
                    }
                }
                catch (Exception e) when (e is Pop3Exception or IOException or OperationCanceledException)
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
        return Failed(started, error);
    }

    private SessionOutcome Failed(DateTimeOffset started, string error)
    {
        var at = _env.Clock.GetUtcNow();
        if (_committed > 0)
        {
            error += $" ({_committed} deletion(s) committed by earlier commit-every chunks are kept)";
        }

        var stage = _stage.ToText();
        var failed = new CollectionFailed(started, at, stage, error, _collected, _bytes);
        return Observed(new SessionOutcome(failed, false, _listed, _collected, _committed, _bytes, at - started, $"{stage}: {error}"));
    }

    /// <summary>
    /// When most collected UIDLs vanished and same-sized new ones appeared (a provider migration), confirm by the
    /// header fingerprint of TOP n 0 and re-key instead of collecting the mailbox again. Returns the state to plan from.
    /// </summary>
    private async Task<AccountState> RekeyIfMigratedAsync(IPop3Session session, IReadOnlyList<ListedMessage> listing, CancellationToken abort)
    {
        var suspects = Core.Uidl.UidlMigration.Suspects(_state, listing);
        if (suspects.Count == 0 || !session.Capabilities.Top)
        {
            return _state;
        }

        _stage = CollectionStage.Top;
        var fingerprinted = new List<(ListedMessage, string?)>(suspects.Count);
        foreach (var message in suspects)
        {
            var header = await session.TopHeaderAsync(message, 64 * 1024, abort).ConfigureAwait(false);
            fingerprinted.Add((message, Core.Uidl.HeaderFingerprint.Compute(header)));
        }

        var rekeys = Core.Uidl.UidlMigration.Match(_state, fingerprinted);
        if (rekeys.Count == 0)
        {
            return _state;
        }

        var rekeyed = new UidlsRekeyed(rekeys, _env.Clock.GetUtcNow());
        _stage = CollectionStage.Record;
        await _recorder.RecordRekeyedAsync(rekeyed).ConfigureAwait(false);
        _warnings.Add($"the server changed the UIDLs of {rekeys.Count} collected message(s) (provider migration?); re-keyed by header fingerprint, not collected again");
        return _state.Apply(rekeyed);
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
