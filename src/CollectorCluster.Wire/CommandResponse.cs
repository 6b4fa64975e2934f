using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CollectorCluster.Wire;

/// <summary>
/// One answer, one line of JSON: <c>{"ok":true,"lines":[...],"data":...}</c> on success, <c>{"ok":false,"error":"..."}</c>
/// on failure (<see cref="CommandWire.ToLine(CommandResponse)"/> writes only the fields that go with <see cref="Ok"/>).
/// </summary>
/// <param name="Ok">False when the command failed or was not understood.</param>
/// <param name="Lines">What collectorctl prints.</param>
/// <param name="Data">The same answer as JSON (<c>--json</c>); null when there is nothing structured.</param>
/// <param name="Error">Why it failed; null when ok.</param>
public sealed record CommandResponse(
    [property: JsonPropertyOrder(0)] bool Ok,
    IReadOnlyList<string> Lines,
    [property: JsonPropertyOrder(2)] JsonNode? Data,
    [property: JsonPropertyOrder(3)] string? Error)
{
    /// <summary>What collectorctl prints; empty, never null, also for an answer read from the wire without lines.</summary>
    [JsonPropertyOrder(1)] // the wire's order, which a property declared here would not keep by itself
    public IReadOnlyList<string> Lines { get; init; } = Lines ?? [];

    /// <summary>A successful answer.</summary>
    public static CommandResponse Success(IReadOnlyList<string> lines, JsonNode? data) => new(true, lines, data, null);

    /// <summary>A failed answer.</summary>
    public static CommandResponse Failure(string error) => new(false, [], null, error);
}
