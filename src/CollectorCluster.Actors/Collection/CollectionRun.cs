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
    private readonly AccountState _state;
    private readonly CollectionEnvironment _env;
    private readonly ICollectionRecorder _recorder;
    private readonly List<string> _warnings = [];
    private readonly List<(string Key, DeletionReason Reason)> _pendingDeletes = [];
    private string _stage = "connect";
    private int _listed;
    private int _collected;
    private long _bytes;
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

            _stage = "list";
            var listing = await session.ListAsync(abort).ConfigureAwait(false);
            _listed = listing.Count;
            var supportsUidl = listing.Count == 0 || listing.Any(m => m.Uidl is not null);
            var options = new CollectionOptions(_account.LeaveMailOnServer, _account.DeleteAfterDays, _account.DownloadSmallestFirst, supportsUidl);
            var state = await RekeyIfMigratedAsync(session, listing, abort).ConfigureAwait(false);
            var plan = CollectionPlanner.Plan(listing, state, options, started);
            _warnings.AddRange(plan.Warnings);

            if (plan.Vanished.Count > 0)
            {
                await _recorder.RecordVanishedAsync(new MessagesVanished(plan.Vanished, started)).ConfigureAwait(false);
            }

            if (plan.Fetch.Count > 0)
            {
                await FetchAsync(session, plan, started, stopRequested, abort).ConfigureAwait(false);
            }

            if (plan.Delete.Count > 0 && !stopRequested.IsCancellationRequested)
            {
                _stage = "delete";
                await session.DeleteAsync(plan.Delete.Select(d => d.Message).ToList(), abort).ConfigureAwait(false);
                _pendingDeletes.AddRange(plan.Delete.Select(d => (d.Message.Uidl!, d.Reason)));
            }

            var deleted = await QuitAsync(session, abort).ConfigureAwait(false);
            session = null;
            if (deleted < 0)
            {
                return Failed(started, $"the server did not confirm QUIT; {_pendingDeletes.Count} deletion(s) not committed, they are retried next session");
            }

            var finished = _env.Clock.GetUtcNow();
            var completed = new CollectionCompleted(started, finished, _listed, _collected, deleted, _bytes, _warnings.ToList());
            _cause = FailureCause.None;
            return Observed(new SessionOutcome(completed, true, _listed, _collected, deleted, _bytes, finished - started, string.Join("; ", _warnings)));
        }
        catch (Pop3Exception e)
        {
            _cause = Pop3FailureClassifier.Classify(e);
            return await FailAfterAsync(session, started, e.Message, sessionUsable: e.Kind is Pop3ErrorKind.ServerRefused && e.Stage is Pop3Stage.Retrieve or Pop3Stage.Delete, abort).ConfigureAwait(false);
        }
        catch (OAuth2.OAuth2Exception e)
        {
            _cause = e.GrantRefused ? FailureCause.OAuthGrantRefused : FailureCause.Network;
            return await FailAfterAsync(session, started, e.Message, sessionUsable: false, abort).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            return await FailAfterAsync(session, started, "aborted (node stopping)", sessionUsable: false, abort).ConfigureAwait(false);
        }
        catch (IOException e) when (_stage == "deliver")
        {
            return await FailAfterAsync(session, started, $"delivery to {_account.Mailbox} failed: {e.Message}", sessionUsable: false, abort).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return await FailAfterAsync(session, started, $"{e.GetType().Name}: {e.Message}", sessionUsable: false, abort).ConfigureAwait(false);
        }
        finally
        {
            // Held until the connection is closed, including a QUIT on the failure path.
            lease?.Dispose();
        }
    }

    private async Task FetchAsync(IPop3Session session, CollectionPlan plan, DateTimeOffset firstSeen, CancellationToken stopRequested, CancellationToken abort)
    {
        var destination = _env.Destination(_account.Mailbox);
        await using var delivery = await destination.OpenAsync(_account.Id, abort).ConfigureAwait(false);
        foreach (var batch in Batches(plan.Fetch))
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

            _stage = "retrieve";
            await session.RetrieveAsync(
                retrieve,
                async (message, content, ct) =>
                {
                    _stage = "deliver";
                    var captured = new HeaderCapturingStream(content);
                    var receipt = await delivery.DeliverAsync(message.Uidl, captured, ct).ConfigureAwait(false);
                    events.Add(new MessageCollected(receipt.Key, receipt.Bytes, firstSeen, _env.Clock.GetUtcNow(), receipt.AlreadyPresent, captured.Fingerprint));
                    _stage = "retrieve";
                },
                abort).ConfigureAwait(false);

            _stage = "deliver";
            await delivery.FlushAsync(abort).ConfigureAwait(false);
            _stage = "record";
            await _recorder.RecordCollectedAsync(events).ConfigureAwait(false);
            _collected += events.Count;
            _bytes += events.Sum(e => e.Size);

            if (plan.DeleteAfterFetch)
            {
                _stage = "delete";
                await session.DeleteAsync(batch, abort).ConfigureAwait(false);
                var keys = events.Select(e => e.Uidl);
                _pendingDeletes.AddRange(keys.Select(k => (k, DeletionReason.NotLeftOnServer)));
            }
        }
    }

    /// <summary>QUIT, then record what it committed. Returns the number deleted, or -1 when QUIT was not confirmed.</summary>
    private async Task<int> QuitAsync(IPop3Session session, CancellationToken abort)
    {
        _stage = "quit";
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
            return -1;
        }

        if (_pendingDeletes.Count > 0)
        {
            _stage = "record";
            var at = _env.Clock.GetUtcNow();
            foreach (var group in _pendingDeletes.GroupBy(d => d.Reason))
            {
                await _recorder.RecordDeletedAsync(new MessagesDeletedOnServer(group.Select(d => d.Key).ToList(), group.Key.ToString(), at)).ConfigureAwait(false);
            }
        }

        return _pendingDeletes.Count;
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
        var failed = new CollectionFailed(started, at, _stage, error, _collected, _bytes);
        return Observed(new SessionOutcome(failed, false, _listed, _collected, 0, _bytes, at - started, $"{_stage}: {error}"));
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

        _stage = "top";
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
        _stage = "record";
        await _recorder.RecordRekeyedAsync(rekeyed).ConfigureAwait(false);
        _warnings.Add($"the server changed the UIDLs of {rekeys.Count} collected message(s) (provider migration?); re-keyed by header fingerprint, not collected again");
        return _state.Apply(rekeyed);
    }

    // What the server policy needs besides the figures: the cause, and CAPA as seen after login.
    private SessionOutcome Observed(SessionOutcome outcome) =>
        outcome with { Cause = _cause, Capabilities = _capabilities, LoggedInAt = _loggedInAt };

    private IEnumerable<List<ListedMessage>> Batches(IReadOnlyList<ListedMessage> messages)
    {
        var batch = new List<ListedMessage>();
        long bytes = 0;
        foreach (var message in messages)
        {
            batch.Add(message);
            bytes += message.Size;
            if (batch.Count >= _env.Tuning.BatchMessages || bytes >= _env.Tuning.BatchBytes)
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
