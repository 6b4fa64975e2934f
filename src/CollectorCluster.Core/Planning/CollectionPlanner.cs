using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Planning;

/// <summary>
/// Decides, before the first RETR, what one session fetches and deletes, so the session itself holds no policy and
/// the rules can be tested without a server. Pure and deterministic: same inputs, same plan (including the order
/// and wording of warnings). O(n log n) in the listing size plus O(m) in the collected-state size.
/// </summary>
/// <remarks>
/// <para>Rules, in the order they apply:</para>
/// <list type="number">
/// <item><description><b>No UIDL</b> (<see cref="CollectionOptions.ServerSupportsUidl"/> false): with leave-on-server the
/// plan is a <see cref="CollectionPlan.Refusal"/>: nothing fetched, nothing deleted, the operator is needed (without UIDL
/// nothing tells a collected message from a new one, and deleting against the setting is never an option). In delete
/// mode every listed message is fetched with <c>Uidl = null</c> (the delivery keys it by content) and deleted after
/// fetch, with one warning; nothing is compared with the collected state.</description></item>
/// <item><description><b>Ambiguous lines</b>: a UIDL listed for more than one message, or a line with a null or empty
/// UIDL while the server supports UIDL. With leave-on-server they are skipped (neither fetched nor deleted: a UIDL
/// that names two messages cannot be remembered safely); in delete mode they are fetched with <c>Uidl = null</c>
/// (content-keyed) and deleted after fetch. Either way one warning per duplicated UIDL, and one for all UIDL-less
/// lines, names the UIDL and the message numbers.</description></item>
/// <item><description><b>Fetch</b>: every unambiguous line whose UIDL is not in <see cref="AccountState.Collected"/>, plus
/// the content-keyed lines above. Order: with <see cref="CollectionOptions.DownloadSmallestFirst"/> ascending size,
/// ties by ascending message number; otherwise ascending message number (the server's natural order).</description></item>
/// <item><description><b>Leave-on-server off</b>: <see cref="CollectionPlan.DeleteAfterFetch"/> is true and every listed,
/// unambiguous, already-collected message is deleted with <see cref="DeletionReason.NotLeftOnServer"/> (this retries a
/// previous session's DELE whose QUIT failed; DELE of a collected message is idempotent).</description></item>
/// <item><description><b>Leave-on-server on with DeleteAfterDays = N, N ≥ 1</b>: a listed, unambiguous, collected message
/// is deleted with <see cref="DeletionReason.Expired"/> once <c>now − FirstSeen ≥ N days</c>.
/// <b>N ≤ 0 is treated like null (never expire)</b>, with a warning: a bad setting must not delete mail that the
/// operator asked to keep.</description></item>
/// <item><description><b>Operator marks</b> (<see cref="AccountState.Marks"/>, the seed's "Collector Tasks"), for listed,
/// unambiguous UIDLs only: <see cref="MessageMark.Delete"/> deletes the message with <see cref="DeletionReason.OperatorMark"/>
/// in either mode, collected or not, and it is not fetched; <see cref="MessageMark.Download"/> fetches it even though it
/// was collected (in the normal order), instead of any deletion. A UIDL carries at most one mark.</description></item>
/// <item><description><b>Absent and vanished</b>: a pending deletion (<see cref="AccountState.PendingDeletions"/>) whose UIDL
/// no line carries is <see cref="CollectionPlan.Confirmed"/> (an earlier QUIT committed it). Every other collected UIDL no
/// line carries (all of them, even when the listing is empty) is <see cref="CollectionPlan.Absent"/>: not forgotten yet,
/// <see cref="AbsenceRule"/> decides when it is gone. A marked UIDL never collected and not listed is
/// <see cref="CollectionPlan.Vanished"/> (its mark can no longer act). An absentee listed again is
/// <see cref="CollectionPlan.Reappeared"/>. Each list in ordinal order.</description></item>
/// </list>
/// <para>Delete is ordered by message number. A message is never both fetched and deleted by the plan.</para>
/// </remarks>
public static class CollectionPlanner
{
    /// <summary>At most this many message numbers are spelled out in one warning.</summary>
    private const int MaxNumbersInWarning = 10;

    /// <summary>Builds the plan for one session.</summary>
    /// <param name="listing">The server's UIDL + LIST result. Message numbers must be positive and distinct, sizes non-negative.</param>
    /// <param name="state">The account's state as the session starts.</param>
    /// <param name="options">The account's settings and the server's abilities.</param>
    /// <param name="now">The session's clock reading (only used for expiry).</param>
    /// <exception cref="ArgumentNullException">An argument or a listing line is null.</exception>
    /// <exception cref="ArgumentException">Message numbers repeat or are not positive, or a size is negative.</exception>
    public static CollectionPlan Plan(IReadOnlyList<ListedMessage> listing, AccountState state, CollectionOptions options, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(listing);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        Validate(listing);

        var warnings = new List<string>();
        return options.ServerSupportsUidl
            ? PlanWithUidl(listing, state, options, now, warnings)
            : PlanWithoutUidl(listing, options, warnings);
    }

    /// <summary>The reason a leave-on-server account waits for an operator on a server without UIDL.</summary>
    public const string NoUidlRefusal =
        "the server does not support UIDL, so leave-mail-on-server cannot be honoured (nothing tells a collected message from a new one): nothing was collected or deleted; set leave-mail-on-server = off to collect the mail (it is then deleted from the server) or collect from a server with UIDL, then the account collects again (or `collector resume`)";

    private static CollectionPlan PlanWithoutUidl(IReadOnlyList<ListedMessage> listing, CollectionOptions options, List<string> warnings)
    {
        if (options.LeaveMailOnServer)
        {
            // Never delete against the setting: park the account instead (see the class remarks).
            return new CollectionPlan([], false, [], [], [NoUidlRefusal]) { Refusal = NoUidlRefusal };
        }

        var fetch = new List<ListedMessage>(listing.Count);
        foreach (var m in listing)
        {
            fetch.Add(m.Uidl is null ? m : m with { Uidl = null });
        }

        Order(fetch, options.DownloadSmallestFirst);
        warnings.Add("The server does not support UIDL: messages are identified by content and deleted from the server after collection.");
        return new CollectionPlan(fetch, true, [], [], warnings);
    }

    private static CollectionPlan PlanWithUidl(
        IReadOnlyList<ListedMessage> listing, AccountState state, CollectionOptions options, DateTimeOffset now, List<string> warnings)
    {
        var leave = options.LeaveMailOnServer;

        // One pass to count UIDLs: any UIDL listed more than once is ambiguous.
        var counts = new Dictionary<string, int>(listing.Count, StringComparer.Ordinal);
        foreach (var m in listing)
        {
            if (!string.IsNullOrEmpty(m.Uidl))
            {
                CollectionsMarshal.GetValueRefOrAddDefault(counts, m.Uidl, out _)++;
            }
        }

        int? expireAfterDays = null;
        if (leave && options.DeleteAfterDays is int days)
        {
            if (days >= 1)
            {
                expireAfterDays = days;
            }
            else
            {
                warnings.Add(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Automatically delete after {days} days is not a positive number of days: automatic deletion is off."));
            }
        }

        var fetch = new List<ListedMessage>();
        var delete = new List<PlannedDeletion>();
        var withoutUidl = new List<int>();
        Dictionary<string, List<int>>? duplicates = null;

        foreach (var m in listing)
        {
            if (string.IsNullOrEmpty(m.Uidl))
            {
                withoutUidl.Add(m.Number);
                if (!leave)
                {
                    fetch.Add(m.Uidl is null ? m : m with { Uidl = null });
                }

                continue;
            }

            if (counts[m.Uidl] > 1)
            {
                duplicates ??= new Dictionary<string, List<int>>(StringComparer.Ordinal);
                ref var numbers = ref CollectionsMarshal.GetValueRefOrAddDefault(duplicates, m.Uidl, out _);
                (numbers ??= []).Add(m.Number);
                if (!leave)
                {
                    fetch.Add(m with { Uidl = null });
                }

                continue;
            }

            var marked = state.Marks.TryGetValue(m.Uidl, out var mark);
            if (marked && mark == MessageMark.Delete)
            {
                delete.Add(new PlannedDeletion(m, DeletionReason.OperatorMark));
            }
            else if (!state.Collected.TryGetValue(m.Uidl, out var collected) || (marked && mark == MessageMark.Download))
            {
                fetch.Add(m);
            }
            else if (!leave)
            {
                delete.Add(new PlannedDeletion(m, DeletionReason.NotLeftOnServer));
            }
            else if (expireAfterDays is int n && IsExpired(collected, n, now))
            {
                delete.Add(new PlannedDeletion(m, DeletionReason.Expired));
            }
        }

        Order(fetch, options.DownloadSmallestFirst);
        delete.Sort(static (a, b) => a.Message.Number.CompareTo(b.Message.Number));

        if (duplicates is not null)
        {
            var groups = duplicates.Select(static kv => (Uidl: kv.Key, Numbers: kv.Value)).ToList();
            foreach (var g in groups)
            {
                g.Numbers.Sort();
            }

            groups.Sort(static (a, b) => a.Numbers[0].CompareTo(b.Numbers[0]));
            foreach (var (uidl, numbers) in groups)
            {
                warnings.Add(leave
                    ? $"UIDL \"{uidl}\" is listed for messages {NumberList(numbers)} (a server fault): they are skipped, neither fetched nor deleted, while the UIDL is ambiguous."
                    : $"UIDL \"{uidl}\" is listed for messages {NumberList(numbers)} (a server fault): they are collected by content instead of UIDL and deleted after collection.");
            }
        }

        if (withoutUidl.Count > 0)
        {
            withoutUidl.Sort();
            var what = withoutUidl.Count == 1 ? "Message" : "Messages";
            warnings.Add(leave
                ? $"{what} {NumberList(withoutUidl)} listed without a UIDL: skipped, since Leave Mail on Server needs a UIDL to recognise a message later."
                : $"{what} {NumberList(withoutUidl)} listed without a UIDL: collected by content and deleted after collection.");
        }

        var confirmed = state.PendingDeletions
            .Where(p => !counts.ContainsKey(p.Key))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new IntendedDeletion(p.Key, p.Value))
            .ToList();
        var absent = state.Collected.Keys
            .Where(u => !counts.ContainsKey(u) && !state.PendingDeletions.ContainsKey(u))
            .Order(StringComparer.Ordinal)
            .ToList();
        var vanished = state.Marks.Keys
            .Where(u => !counts.ContainsKey(u) && !state.Collected.ContainsKey(u) && !state.PendingDeletions.ContainsKey(u))
            .Order(StringComparer.Ordinal)
            .ToList();
        var reappeared = state.Absent.Keys.Where(counts.ContainsKey).Order(StringComparer.Ordinal).ToList();
        return new CollectionPlan(fetch, !leave, delete, vanished, warnings) { Absent = absent, Reappeared = reappeared, Confirmed = confirmed };
    }

    /// <summary>True when at least <paramref name="days"/> whole days have passed since first seen (overflow-free for any int).</summary>
    private static bool IsExpired(CollectedMessage collected, int days, DateTimeOffset now)
    {
        var age = now - collected.FirstSeen;
        return age.Ticks >= 0 && age.Ticks / TimeSpan.TicksPerDay >= days;
    }

    private static void Order(List<ListedMessage> fetch, bool smallestFirst)
    {
        // Message numbers are distinct (validated), so both comparisons are total and the result is deterministic.
        if (smallestFirst)
        {
            fetch.Sort(static (a, b) =>
            {
                var c = a.Size.CompareTo(b.Size);
                return c != 0 ? c : a.Number.CompareTo(b.Number);
            });
        }
        else
        {
            fetch.Sort(static (a, b) => a.Number.CompareTo(b.Number));
        }
    }

    private static void Validate(IReadOnlyList<ListedMessage> listing)
    {
        var numbers = new HashSet<int>(listing.Count);
        for (var i = 0; i < listing.Count; i++)
        {
            var m = listing[i] ?? throw new ArgumentNullException(nameof(listing), $"Listing line {i} is null.");
            if (m.Number < 1)
            {
                throw new ArgumentException($"Message number {m.Number} is not positive.", nameof(listing));
            }

            if (m.Size < 0)
            {
                throw new ArgumentException($"Message {m.Number} has a negative size ({m.Size}).", nameof(listing));
            }

            if (!numbers.Add(m.Number))
            {
                throw new ArgumentException($"Message number {m.Number} is listed twice.", nameof(listing));
            }
        }
    }

    /// <summary>"3", "3 and 7", "3, 7 and 9", or the first ten and "and N more".</summary>
    private static string NumberList(List<int> numbers)
    {
        var sb = new StringBuilder();
        var shown = Math.Min(numbers.Count, MaxNumbersInWarning);
        var rest = numbers.Count - shown;
        for (var i = 0; i < shown; i++)
        {
            if (i > 0)
            {
                sb.Append(i == shown - 1 && rest == 0 ? " and " : ", ");
            }

            sb.Append(numbers[i].ToString(CultureInfo.InvariantCulture));
        }

        if (rest > 0)
        {
            sb.Append(CultureInfo.InvariantCulture, $" and {rest} more");
        }

        return sb.ToString();
    }
}
