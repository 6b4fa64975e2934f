using System.Collections.Immutable;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Delivery;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Core.State;

/// <summary>
/// Everything an account knows, rebuilt from its events. Immutable, so a collection session can plan from a
/// snapshot while the actor keeps answering queries.
/// </summary>
public sealed record AccountState
{
    /// <summary>A new account: nothing collected, never run.</summary>
    public static readonly AccountState Empty = new();

    /// <summary>Collected messages still listed by the server, by UIDL (ordinal).</summary>
    public ImmutableDictionary<string, CollectedMessage> Collected { get; init; } =
        ImmutableDictionary.Create<string, CollectedMessage>(StringComparer.Ordinal);

    /// <summary>
    /// Operator marks awaiting a session, by UIDL (ordinal): the seed's "Collector Tasks". A mark is cleared by the
    /// event that carries it out (collection, deletion on the server) or when the server no longer lists the UIDL.
    /// </summary>
    public ImmutableDictionary<string, MessageMark> Marks { get; init; } =
        ImmutableDictionary.Create<string, MessageMark>(StringComparer.Ordinal);

    /// <summary>UIDLs the last report found over the size limit, with their sizes (a Download mark may override the skip).</summary>
    public ImmutableDictionary<string, long> Oversize { get; init; } = ImmutableDictionary.Create<string, long>(StringComparer.Ordinal);

    /// <summary>
    /// Collected UIDLs committed listings lacked, with since when and how many listings: one listing is not proof that a
    /// message is gone (servers hide and glitch); <see cref="Planning.AbsenceRule"/> decides when it is.
    /// </summary>
    public ImmutableDictionary<string, AbsenceRecord> Absent { get; init; } = ImmutableDictionary.Create<string, AbsenceRecord>(StringComparer.Ordinal);

    /// <summary>
    /// Deletions recorded as intended (<see cref="DeletionsIntended"/>) whose commit is not recorded yet, by UIDL, with
    /// the <see cref="Planning.DeletionReason"/> name: a listing without them confirms the deletion as ours.
    /// </summary>
    public ImmutableDictionary<string, string> PendingDeletions { get; init; } = ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>The remote mailbox the collected state belongs to; null for a journal written before identities existed.</summary>
    public MailboxIdentity? Identity { get; init; }

    /// <summary>Destination names include the mailbox (false: account-only names of a journal from before identities existed).</summary>
    public bool NamesIncludeMailbox { get; init; }

    /// <summary>The refresh token the OAuth2 endpoint issued last, sealed; null when it never rotated one.</summary>
    public RotatedRefreshToken? RefreshToken { get; init; }

    /// <summary>Last applied configuration (non-secret).</summary>
    public AccountConfigured? Configuration { get; init; }

    /// <summary>The last session's result; null when never collected.</summary>
    public CollectionOutcome? LastCollection { get; init; }

    /// <summary>
    /// The last sessions' results, oldest first, at most <see cref="HistoryLength"/>: the console's collection chart
    /// (messages and bytes per collection). Kept in the state (and its snapshot) so it survives snapshots and restarts.
    /// </summary>
    public ImmutableList<CollectionOutcome> History { get; init; } = [];

    /// <summary>How many sessions <see cref="History"/> keeps.</summary>
    public const int HistoryLength = 50;

    /// <summary>The last session that succeeded; null when none did.</summary>
    public DateTimeOffset? LastSuccessAt { get; init; }

    /// <summary>Failures since the last success (drives back-off).</summary>
    public int ConsecutiveFailures { get; init; }

    /// <summary>True while an operator has paused the account (no session starts).</summary>
    public bool Paused { get; init; }

    /// <summary>Totals over the account's life.</summary>
    public long TotalCollected { get; init; }

    /// <summary>Bytes over the account's life.</summary>
    public long TotalBytes { get; init; }

    /// <summary>The server policy's view: health, last login, LOGIN-DELAY and EXPIRE.</summary>
    public ServerPolicyState Policy { get; init; } = ServerPolicyState.Initial;

    /// <summary>Multidrop accounts: what routing did over the account's life (copies, duplicates suppressed, default, refused).</summary>
    public RoutingCounts Routing { get; init; } = RoutingCounts.None;

    /// <summary>Seed files of UIDLs taken over from another collector (<c>imported-uidls</c>), each read once.</summary>
    public ImmutableHashSet<string> ImportedSeeds { get; init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>The settings last applied anywhere in the cluster (secrets sealed); null when never applied or removed.</summary>
    public AccountSettingsChanged? Settings { get; init; }

    /// <summary>Whose messages the destination holds and the seed of their names (see <see cref="MailboxScope"/>).</summary>
    public MailboxScope ScopeFor(string accountId) => new(accountId, NamesIncludeMailbox ? Identity : null);

    /// <summary>True when the UIDL has been collected (and not since pruned).</summary>
    public bool HasCollected(string uidl) => Collected.ContainsKey(uidl);

    /// <summary>True when a reset with <paramref name="since"/> forgets <paramref name="message"/> (null = all; else first seen at or after it).</summary>
    public static bool ForgottenByReset(CollectedMessage message, DateTimeOffset? since)
    {
        ArgumentNullException.ThrowIfNull(message);
        return since is not DateTimeOffset s || message.FirstSeen >= s;
    }

    /// <summary>Applies one event. Pure: same state and event, same result.</summary>
    public AccountState Apply(IAccountEvent e) => e switch
    {
        AccountConfigured c => this with { Configuration = c },
        MessageCollected m => this with
        {
            // A re-collection (Download mark) keeps the original first sighting, so expiry still counts from it.
            Collected = Collected.SetItem(m.Uidl, new CollectedMessage(
                m.Uidl,
                m.Size,
                Collected.TryGetValue(m.Uidl, out var known) && known.FirstSeen < m.FirstSeen ? known.FirstSeen : m.FirstSeen,
                m.CollectedAt,
                m.Fingerprint ?? known?.Fingerprint,
                m.StoredAs,
                m.Digest ?? known?.Digest)), // delivered (again): its own content, nothing left to prove
            Marks = Marks.TryGetValue(m.Uidl, out var mark) && mark == MessageMark.Download ? Marks.Remove(m.Uidl) : Marks,
            Absent = Absent.Remove(m.Uidl),
            TotalCollected = TotalCollected + 1,
            TotalBytes = TotalBytes + m.Size,
        },
        MessagesVanished v => Forget(v.Uidls),
        // A deleted message carries out a Delete mark, and leaves nothing for any other mark to act on.
        MessagesDeletedOnServer d => Forget(d.Uidls),
        MessageMarked mm => this with { Marks = Marks.SetItem(mm.Uidl, ParseMark(mm.Mark)) },
        MarkCleared mc => this with { Marks = Marks.Remove(mc.Uidl) },
        AccountPaused => this with { Paused = true },
        AccountResumed => this with { Paused = false },
        CollectorReset r => ForgetCollected(Collected.Values.Where(m => ForgottenByReset(m, r.Since)).Select(m => m.Uidl).ToList()),
        CollectionCompleted c => Remember(new CollectionOutcome(c.StartedAt, c.FinishedAt, true, c.Collected, c.Bytes, string.Join("; ", c.Warnings))) with
        {
            LastSuccessAt = c.FinishedAt,
            ConsecutiveFailures = 0,
        },
        CollectionFailed f => Remember(new CollectionOutcome(f.StartedAt, f.FailedAt, false, f.Collected, f.Bytes, $"{f.Stage}: {f.Error}")) with
        {
            ConsecutiveFailures = ConsecutiveFailures + 1,
        },
        AccountHealthChanged h => this with
        {
            Policy = Policy with { Health = Enum.Parse<AccountHealth>(h.Health), Reason = h.Reason, NotBefore = h.NotBefore, SettingsDigest = h.SettingsDigest },
        },
        ServerPolicyObserved o => this with
        {
            Policy = Policy with { LastLoginAt = o.LoginAt, LoginDelaySeconds = o.LoginDelaySeconds, Expire = o.Expire },
        },
        UidlsRekeyed r => Rekey(r),
        // Proved: the same message as delivered. Refuted: another message under a matching header, never collected.
        RekeysVerified v => Verified(v),
        SessionStarted => this, // a fence in the journal, not state
        OversizeMessagesReported o => this with
        {
            Oversize = o.Messages.Where(m => m.Uidl is not null).GroupBy(m => m.Uidl!, StringComparer.Ordinal)
                .ToImmutableDictionary(g => g.Key, g => g.First().Size, StringComparer.Ordinal),
        },
        // Written before AbsenceNoted existed: its Absent were first absences only (a second one removed the copy).
        MirrorAbsenceNoted n => NoteAbsence(n.Absent.Where(u => !Absent.ContainsKey(u)), n.Reappeared, n.At),
        AbsenceNoted n => NoteAbsence(n.Absent, n.Reappeared, n.At),
        LocalCopiesRemoved r => Forget(r.Uidls),
        LocalDeletionObserved => this, // the DELE is recorded by MessagesDeletedOnServer after QUIT
        DeletionsIntended i => this with
        {
            PendingDeletions = PendingDeletions.SetItems(i.Deletions.Select(d => KeyValuePair.Create(d.Uidl, d.Reason))),
        },
        MailboxIdentified m => (m.Reset ? ForgetMailbox() : this) with
        {
            Identity = new MailboxIdentity(m.Server, m.User),
            NamesIncludeMailbox = m.NamesIncludeMailbox,
        },
        RefreshTokenRotated t => this with { RefreshToken = new RotatedRefreshToken(t.Sealed, t.ConfiguredDigest) },
        MessageRouted r => this with { Routing = Routing.Add(r) },
        UidlsImported i => Import(i),
        AccountSettingsChanged c => this with { Settings = c },
        AccountSettingsRemoved => this with { Settings = null },
        _ => throw new ArgumentException($"Unknown account event type {e.GetType().Name}", nameof(e)),
    };

    // A session's result: the last collection, and the newest entry of the bounded history.
    private AccountState Remember(CollectionOutcome outcome) => this with
    {
        LastCollection = outcome,
        History = (History.Count >= HistoryLength ? History.RemoveRange(0, History.Count - HistoryLength + 1) : History).Add(outcome),
    };

    // Taken-over UIDLs count as collected (first seen at the take-over, so delete-after-days counts from there); what
    // this collector collected itself stays as it is.
    private AccountState Import(UidlsImported i)
    {
        var collected = Collected;
        foreach (var uidl in i.Uidls.Where(u => !collected.ContainsKey(u)))
        {
            collected = collected.SetItem(uidl, new CollectedMessage(uidl, 0, i.At, i.At));
        }

        return this with { Collected = collected, ImportedSeeds = ImportedSeeds.Add(i.File) };
    }

    // Messages the account no longer tracks: with their marks, absences and pending deletions.
    private AccountState Forget(IReadOnlyCollection<string> uidls) => this with
    {
        Collected = Collected.RemoveRange(uidls),
        Marks = Marks.RemoveRange(uidls),
        Absent = Absent.RemoveRange(uidls),
        PendingDeletions = PendingDeletions.RemoveRange(uidls),
    };

    // A reset forgets what was collected (collected again next session); marks stay for the operator.
    private AccountState ForgetCollected(IReadOnlyCollection<string> uidls) => this with
    {
        Collected = Collected.RemoveRange(uidls),
        Absent = Absent.RemoveRange(uidls),
    };

    // Another mailbox: nothing known of the old one applies (its UIDLs, its marks, its server's LOGIN-DELAY and health).
    private AccountState ForgetMailbox() => this with
    {
        Collected = Collected.Clear(),
        Marks = Marks.Clear(),
        Oversize = Oversize.Clear(),
        Absent = Absent.Clear(),
        PendingDeletions = PendingDeletions.Clear(),
        RefreshToken = null,
        Policy = ServerPolicyState.Initial,
    };

    private AccountState NoteAbsence(IEnumerable<string> absent, IEnumerable<string> reappeared, DateTimeOffset at)
    {
        var records = Absent;
        foreach (var uidl in absent)
        {
            records = records.SetItem(uidl, records.TryGetValue(uidl, out var r) ? r with { Listings = r.Listings + 1 } : new AbsenceRecord(at, 1));
        }

        return this with { Absent = records.RemoveRange(reappeared) };
    }

    // A renamed message keeps everything it had (first sighting, fingerprint, digest, mark, pending deletion) under its
    // new UIDL, and the name its destination holds it under: that still derives from the old key. A header match is not
    // proof: it is flagged until its content proves it (RekeyProof).
    private AccountState Rekey(UidlsRekeyed r)
    {
        var collected = Collected;
        var marks = Marks;
        var pending = PendingDeletions;
        var absent = Absent;
        foreach (var (old, now) in r.Rekeys.Select(k => (k.Old, k.New)))
        {
            if (collected.TryGetValue(old, out var message))
            {
                collected = collected.Remove(old).SetItem(now, message with { Uidl = now, StoredAs = message.StoredKey, Rekeyed = true });
            }

            if (marks.TryGetValue(old, out var mark))
            {
                marks = marks.Remove(old).SetItem(now, mark);
            }

            if (pending.TryGetValue(old, out var reason))
            {
                pending = pending.Remove(old).SetItem(now, reason);
            }

            absent = absent.Remove(old);
        }

        return this with { Collected = collected, Marks = marks, PendingDeletions = pending, Absent = absent };
    }

    private AccountState Verified(RekeysVerified v)
    {
        var state = Forget(v.Refuted);
        var proved = v.Confirmed.Where(state.Collected.ContainsKey).Select(u => KeyValuePair.Create(u, state.Collected[u] with { Rekeyed = false }));
        return state with { Collected = state.Collected.SetItems(proved) };
    }

    private static MessageMark ParseMark(string mark) => mark switch
    {
        nameof(MessageMark.Download) => MessageMark.Download,
        nameof(MessageMark.Delete) => MessageMark.Delete,
        _ => throw new ArgumentException($"Unknown message mark '{mark}'", nameof(mark)),
    };
}
