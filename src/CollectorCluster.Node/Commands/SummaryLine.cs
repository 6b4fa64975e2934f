using System.Globalization;
using CollectorCluster.Actors.Accounts;

namespace CollectorCluster.Node.Commands;

/// <summary>The one line per account that <c>collector once</c> prints, and the total.</summary>
public static class SummaryLine
{
    /// <summary>The session collected and committed.</summary>
    public const string Ok = "ok";

    /// <summary>The session failed (what it delivered before is still counted and recorded).</summary>
    public const string Failed = "FAILED";

    /// <summary>The server's LOGIN-DELAY put the account off: a wait, not a failure.</summary>
    public const string Deferred = "deferred";

    /// <summary>A signal stopped the session early; what it delivered is recorded.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>The status word of a result: interrupted, deferred, ok or FAILED.</summary>
    public static string Status(CollectionResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.Interrupted ? Interrupted : r.Deferred ? Deferred : r.Succeeded ? Ok : Failed;
    }

    /// <summary>Formats a result: id, address, status, counts (what was delivered and recorded, also on failure), time, and the error or warnings.</summary>
    public static string Format(CollectionResult r)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"{r.AccountId} {r.Address} {Status(r)}: collected {r.Collected} ({r.Bytes} bytes), deleted {r.Deleted}, listed {r.Listed}, {r.Duration.TotalSeconds:F2}s");
        return r.Detail.Length == 0 ? line : $"{line} - {r.Detail}";
    }

    /// <summary>The total: accounts by status (deferred and interrupted only when there are any) and what was collected.</summary>
    public static string Total(IReadOnlyCollection<CollectionResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        int Count(string status) => results.Count(r => Status(r) == status);
        var deferred = Count(Deferred);
        var interrupted = Count(Interrupted);
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{results.Count} account(s): {Count(Ok)} succeeded, {Count(Failed)} failed{(deferred > 0 ? $", {deferred} deferred" : "")}{(interrupted > 0 ? $", {interrupted} interrupted" : "")}; {results.Sum(r => r.Collected)} message(s), {results.Sum(r => r.Bytes)} bytes collected");
    }
}
