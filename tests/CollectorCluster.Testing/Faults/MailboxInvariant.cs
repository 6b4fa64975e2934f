using System.Globalization;
using System.Text;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// The campaign's invariant for one mailbox, checked against the server's own list and the destination's files:
/// every message delivered exactly once (same Message-ID and same body SHA-256), none deleted on the server before it
/// was delivered, none deleted against the setting. Mirror mode: what the user deleted locally or another client
/// deleted on the server is expected gone from both sides (a local deletion delivered again is a duplicate).
/// </summary>
public sealed class MailboxInvariant
{
    private readonly CollectionMode mode;
    private readonly Dictionary<string, string> expected = new(StringComparer.Ordinal); // Message-ID -> body SHA-256
    private readonly HashSet<string> deletedLocally = new(StringComparer.Ordinal);
    private readonly HashSet<string> deletedOnServer = new(StringComparer.Ordinal);
    private readonly HashSet<string> deletedBeforeDelivered = new(StringComparer.Ordinal);

    /// <summary>An invariant for a mailbox collected in <paramref name="mode"/>.</summary>
    public MailboxInvariant(CollectionMode mode)
    {
        this.mode = mode;
    }

    /// <summary>Messages put on the server (each must end up delivered exactly once, unless deleted on purpose).</summary>
    public void Dropped(IEnumerable<TestMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            var parsed = MailFile.Parse("", message.Content);
            expected.Add(message.MessageId, parsed.BodySha256);
        }
    }

    /// <summary>The user deleted these local copies (mirror: the server copies must go too, and they must never come back).</summary>
    public void UserDeletedLocally(IEnumerable<string> messageIds) => deletedLocally.UnionWith(messageIds);

    /// <summary>Another client deleted these on the server (mirror: the local copies may go).</summary>
    public void DeletedOnServer(IEnumerable<string> messageIds) => deletedOnServer.UnionWith(messageIds);

    /// <summary>Every Message-ID put on the server.</summary>
    public IReadOnlyCollection<string> MessageIds => expected.Keys;

    /// <summary>
    /// A check point (after the fault, before recovery, and at the end): a message gone from the server that the
    /// destination does not hold was deleted before it was delivered. Remembered for <see cref="Final"/>.
    /// </summary>
    public void CheckPoint(IReadOnlyList<MailFile> destination, IEnumerable<string?> onServer)
    {
        var held = Copies(destination).Exact;
        var server = new HashSet<string?>(onServer, StringComparer.Ordinal);
        foreach (var id in Kept())
        {
            if (!server.Contains(id) && held.GetValueOrDefault(id) == 0)
            {
                deletedBeforeDelivered.Add(id);
            }
        }
    }

    /// <summary>
    /// The counts after recovery. <paramref name="lmtpWindowAllowance"/> is how many sessions the fault ended between an
    /// LMTP 250 and the journal write (a killed process, a refused journal write): up to that many duplicates are the
    /// README's documented LMTP window, counted apart; every other duplicate is a failure.
    /// </summary>
    public InvariantCounts Final(IReadOnlyList<MailFile> destination, IEnumerable<string?> onServer, int lmtpWindowAllowance)
    {
        ArgumentNullException.ThrowIfNull(destination);
        var serverList = onServer.ToList();
        CheckPoint(destination, serverList);
        var server = new HashSet<string?>(serverList, StringComparer.Ordinal);
        var (held, corrupt) = Copies(destination);
        var detail = new StringBuilder();

        var lost = Kept().Where(id => held.GetValueOrDefault(id) == 0).Order(StringComparer.Ordinal).ToList();
        var duplicated = new List<string>();
        var extra = 0;
        foreach (var (id, copies) in held)
        {
            var allowed = deletedLocally.Contains(id) ? 0 : 1;
            if (copies > allowed)
            {
                extra += copies - allowed;
                duplicated.Add(string.Create(CultureInfo.InvariantCulture, $"{id} x{copies}{(allowed == 0 ? " (deleted locally by the user)" : "")}"));
            }
        }

        var againstSetting = mode == CollectionMode.Delete
            ? []
            : Kept().Where(id => !server.Contains(id)).Order(StringComparer.Ordinal).ToList();
        var window = Math.Min(extra, Math.Max(0, lmtpWindowAllowance));

        Append(detail, "lost", lost);
        Append(detail, "duplicated", duplicated);
        Append(detail, "deleted before delivered", deletedBeforeDelivered.Order(StringComparer.Ordinal).ToList());
        Append(detail, "deleted against the setting", againstSetting);
        Append(detail, "corrupt or unknown", corrupt);
        if (window > 0)
        {
            detail.Append(CultureInfo.InvariantCulture, $"; {window} duplicate(s) within the documented LMTP window");
        }

        return new InvariantCounts(lost.Count, extra - window, deletedBeforeDelivered.Count, againstSetting.Count, corrupt.Count, window, detail.ToString().TrimStart(';', ' '));
    }

    private static void Append(StringBuilder detail, string what, IReadOnlyList<string> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        detail.Append(CultureInfo.InvariantCulture, $"; {what} {items.Count}: {string.Join(", ", items.Take(4))}{(items.Count > 4 ? ", ..." : "")}");
    }

    // Messages that must end up on both sides: all of them, less what the user or another client deleted on purpose.
    private IEnumerable<string> Kept() => expected.Keys.Where(id => !deletedLocally.Contains(id) && !deletedOnServer.Contains(id));

    // Exact copies per Message-ID (same body); files matching no message (truncated, altered, unknown) apart.
    private (Dictionary<string, int> Exact, List<string> Corrupt) Copies(IReadOnlyList<MailFile> destination)
    {
        var exact = new Dictionary<string, int>(StringComparer.Ordinal);
        var corrupt = new List<string>();
        foreach (var file in destination)
        {
            if (file.MessageId is { } id && expected.TryGetValue(id, out var hash) && hash == file.BodySha256)
            {
                exact[id] = exact.GetValueOrDefault(id) + 1;
            }
            else
            {
                corrupt.Add($"{Path.GetFileName(file.Path)} ({file.MessageId ?? "no Message-ID"})");
            }
        }

        return (exact, corrupt);
    }
}
