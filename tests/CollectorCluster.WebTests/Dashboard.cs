using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CollectorCluster.WebTests;

/// <summary>The example Grafana dashboard, <c>deploy/grafana/collector-dashboard.json</c>, read from the source tree.</summary>
internal static partial class Dashboard
{
    /// <summary>The collector metric names (Prometheus form) its panels' queries use.</summary>
    public static IReadOnlyList<string> MetricNames()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "deploy", "grafana", "collector-dashboard.json")))!;
        var queries = json["panels"]!.AsArray()
            .SelectMany(p => p!["targets"]?.AsArray() ?? [])
            .Select(t => t!["expr"]!.GetValue<string>());
        return [.. queries.SelectMany(q => Name().Matches(q).Select(m => m.Value)).Distinct().Order(StringComparer.Ordinal)];
    }

    // The source file's own path: test outputs may live outside the tree (CC_ARTIFACTS).
    private static string RepositoryRoot([CallerFilePath] string here = "") => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));

    [GeneratedRegex("\\bcollector_[a-z_]+")]
    private static partial Regex Name();
}
