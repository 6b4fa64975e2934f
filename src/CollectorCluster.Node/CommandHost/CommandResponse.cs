using System.Text.Json.Nodes;

namespace CollectorCluster.Node.CommandHost;

/// <summary>One answer on the wire: printable lines for people and structured data for scripts (<c>--json</c>).</summary>
/// <param name="Ok">False when the command failed or was not understood.</param>
/// <param name="Lines">What collectorctl prints.</param>
/// <param name="Data">The same answer as JSON; null when there is nothing structured.</param>
/// <param name="Error">Why it failed; null when ok.</param>
public sealed record CommandResponse(bool Ok, IReadOnlyList<string> Lines, JsonNode? Data, string? Error)
{
    /// <summary>A successful answer.</summary>
    public static CommandResponse Success(IReadOnlyList<string> lines, JsonNode? data) => new(true, lines, data, null);

    /// <summary>A failed answer.</summary>
    public static CommandResponse Failure(string error) => new(false, [], null, error);

    /// <summary>The wire form: one line of JSON.</summary>
    public string ToJson()
    {
        var node = new JsonObject { ["ok"] = Ok };
        if (Ok)
        {
            node["lines"] = new JsonArray([.. Lines.Select(l => (JsonNode?)JsonValue.Create(l))]);
            node["data"] = Data?.DeepClone();
        }
        else
        {
            node["error"] = Error;
        }

        return node.ToJsonString();
    }
}
