using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace CollectorCluster.Wire;

/// <summary>
/// What a command sends ahead of its answer (inside <see cref="ProgressEnvelope"/>): a step of a counted task
/// (<c>collector collect --all</c>), a line of content (<c>log tail --follow</c>), or a heartbeat that only checks
/// the client is still there. Fields that do not apply are absent on the wire.
/// </summary>
/// <param name="Done">Steps finished; with <see cref="Total"/> only.</param>
/// <param name="Total">Steps in all; null for a content line.</param>
/// <param name="Line">The text to show.</param>
/// <param name="Account">The finished account's result, as in the answer's data.</param>
/// <param name="Heartbeat">True on a heartbeat, absent otherwise.</param>
public sealed record ProgressFrame(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Done,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Total,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Line,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? Account,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Heartbeat)
{
    /// <summary>The empty frame a quiet follower gets now and then, so a client that went away is noticed.</summary>
    public static ProgressFrame Beat { get; } = new(null, null, null, null, true);

    /// <summary>True for a heartbeat: nothing to show.</summary>
    [JsonIgnore]
    public bool IsHeartbeat => Heartbeat is not null;

    /// <summary>A step of a counted task.</summary>
    public static ProgressFrame Step(int done, int total, string line, JsonNode? account = null) => new(done, total, line, account, null);

    /// <summary>A line of content, printed as it comes.</summary>
    public static ProgressFrame Text(string line) => new(null, null, line, null, null);
}
