using System.Collections.Immutable;
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

    /// <summary>Mirror Mailbox: collected UIDLs one committed listing lacked (a second absence removes the local copy).</summary>
    public ImmutableHashSet<string> MirrorAbsent { get; init; } = ImmutableHashSet.Create<string>(StringComparer.Ordinal);

    /// <summary>Last applied configuration (non-secret).</summary>
    public AccountConfigured? Configuration { get; init; }

    /// <summary>The last session's result; null when never collected.</summary>
    public CollectionOutcome? LastCollection { get; init; }

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
                m.Uidl, m.Size, Collected.TryGetValue(m.Uidl, out var known) && known.FirstSeen < m.FirstSeen ? known.FirstSeen : m.FirstSeen, m.CollectedAt, m.Fingerprint ?? known?.Fingerprint)),
            Marks = Marks.TryGetValue(m.Uidl, out var mark) && mark == MessageMark.Download ? Marks.Remove(m.Uidl) : Marks,
            TotalCollected = TotalCollected + 1,
            TotalBytes = TotalBytes + m.Size,
        },
        MessagesVanished v => this with { Collected = Collected.RemoveRange(v.Uidls), Marks = Marks.RemoveRange(v.Uidls) },
        // A deleted message carries out a Delete mark, and leaves nothing for any other mark to act on.
        MessagesDeletedOnServer d => this with { Collected = Collected.RemoveRange(d.Uidls), Marks = Marks.RemoveRange(d.Uidls) },
        MessageMarked mm => this with { Marks = Marks.SetItem(mm.Uidl, ParseMark(mm.Mark)) },
        MarkCleared mc => this with { Marks = Marks.Remove(mc.Uidl) },
        AccountPaused => this with { Paused = true },
        AccountResumed => this with { Paused = false },
        CollectorReset r => this with
        {
            Collected = Collected.RemoveRange(Collected.Values.Where(m => ForgottenByReset(m, r.Since)).Select(m => m.Uidl).ToList()),
        },
        CollectionCompleted c => this with
        {
            LastCollection = new CollectionOutcome(c.StartedAt, c.FinishedAt, true, c.Collected, c.Bytes, string.Join("; ", c.Warnings)),
            LastSuccessAt = c.FinishedAt,
            ConsecutiveFailures = 0,
        },
        CollectionFailed f => this with
        {
            LastCollection = new CollectionOutcome(f.StartedAt, f.FailedAt, false, f.Collected, f.Bytes, $"{f.Stage}: {f.Error}"),
            ConsecutiveFailures = ConsecutiveFailures + 1,
        },
        AccountHealthChanged h => this with
        {
            Policy = Policy with { Health = Enum.Parse<AccountHealth>(h.Health), Reason = h.Reason, NotBefore = h.NotBefore },
        },
        ServerPolicyObserved o => this with
        {
            Policy = Policy with { LastLoginAt = o.LoginAt, LoginDelaySeconds = o.LoginDelaySeconds, Expire = o.Expire },
        },
        UidlsRekeyed r => Rekey(r),
        SessionStarted => this, // a fence in the journal, not state
        OversizeMessagesReported o => this with
        {
            Oversize = o.Messages.Where(m => m.Uidl is not null).GroupBy(m => m.Uidl!, StringComparer.Ordinal)
                .ToImmutableDictionary(g => g.Key, g => g.First().Size, StringComparer.Ordinal),
        },
        MirrorAbsenceNoted n => this with { MirrorAbsent = MirrorAbsent.Union(n.Absent).Except(n.Reappeared) },
        LocalCopiesRemoved r => this with
        {
            Collected = Collected.RemoveRange(r.Uidls),
            Marks = Marks.RemoveRange(r.Uidls),
            MirrorAbsent = MirrorAbsent.Except(r.Uidls),
        },
        LocalDeletionObserved => this, // the DELE is recorded by MessagesDeletedOnServer after QUIT
        MessageRouted r => this with { Routing = Routing.Add(r) },
        UidlsImported i => Import(i),
        _ => throw new ArgumentException($"Unknown account event type {e.GetType().Name}", nameof(e)),
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

    // A renamed message keeps everything it had (first sighting, fingerprint, mark) under its new UIDL.
    private AccountState Rekey(UidlsRekeyed r)
    {
        var collected = Collected;
        var marks = Marks;
        foreach (var (old, now) in r.Rekeys.Select(k => (k.Old, k.New)))
        {
            if (collected.TryGetValue(old, out var message))
            {
                collected = collected.Remove(old).SetItem(now, message with { Uidl = now });
            }

            if (marks.TryGetValue(old, out var mark))
            {
                marks = marks.Remove(old).SetItem(now, mark);
            }
        }

        return this with { Collected = collected, Marks = marks };
    }

    private static MessageMark ParseMark(string mark) => mark switch
    {
        nameof(MessageMark.Download) => MessageMark.Download,
        nameof(MessageMark.Delete) => MessageMark.Delete,
        _ => throw new ArgumentException($"Unknown message mark '{mark}'", nameof(mark)),
    };
}
