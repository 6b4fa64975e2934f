using CollectorCluster.Actors.Accounts;

namespace CollectorCluster.Node.Commands;

/// <summary>The one line per account that <c>collector once</c> prints.</summary>
public static class SummaryLine
{
    /// <summary>Formats a result: id, address, outcome, counts, time, and the error or warnings.</summary>
    public static string Format(CollectionResult r)
    {
        var outcome = r.Succeeded ? "ok" : "FAILED";
        var line = $"{r.AccountId} {r.Address} {outcome}: collected {r.Collected} ({r.Bytes} bytes), deleted {r.Deleted}, listed {r.Listed}, {r.Duration.TotalSeconds:F2}s";
        return r.Detail.Length == 0 ? line : $"{line} - {r.Detail}";
    }
}
