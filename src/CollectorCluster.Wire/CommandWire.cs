using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace CollectorCluster.Wire;

/// <summary>
/// The command host's protocol: newline-delimited JSON over TCP, one <see cref="CommandRequest"/> line in, any number
/// of <see cref="ProgressEnvelope"/> lines and then one <see cref="CommandResponse"/> line out. Every reader and
/// writer of the wire goes through here, so the text is the same wherever it is made.
/// </summary>
public static class CommandWire
{
    /// <summary>The command host's default port (<c>collector.command-host.port</c>; the defaults file states the same).</summary>
    public const int DefaultPort = 9110;

    /// <summary>The command host's default address: loopback, so only someone on the machine can drive the node.</summary>
    public const string DefaultHostname = "127.0.0.1";

    /// <summary>
    /// The longest request line a command host reads, in bytes (a request is a command, its words and at most one
    /// password): anything longer closes the connection before it is parsed.
    /// </summary>
    public const int MaxRequestBytes = 64 * 1024;

    /// <summary>The longest answer or progress line collectorctl reads, in bytes (a listing of a large cluster fits many times over).</summary>
    public const int MaxResponseBytes = 256 * 1024 * 1024;

    /// <summary>
    /// The file in the node's state directory holding the command host's token (created 0600 at first start), which
    /// collectorctl on the same machine reads by itself.
    /// </summary>
    public const string TokenFileName = "command-host.token";

    /// <summary>
    /// How every generated command-host token starts (then 43 base64url characters, 256 random bits): a fixed
    /// prefix lets secret scanners recognise a leaked token in logs, pastes and repositories.
    /// </summary>
    public const string TokenPrefix = "cctok_";

    /// <summary>The serializer options of the wire: the generated metadata, and on a response, lines and data only with <c>ok:true</c>, error only with <c>ok:false</c>.</summary>
    public static JsonSerializerOptions Options { get; } = new(WireJsonContext.Default.Options)
    {
        TypeInfoResolver = WireJsonContext.Default.WithAddedModifier(OkDecidesTheResponseFields),
    };

    /// <summary>A request as one line of JSON.</summary>
    public static string ToLine(CommandRequest request) => JsonSerializer.Serialize(request, Info<CommandRequest>());

    /// <summary>An answer as one line of JSON.</summary>
    public static string ToLine(CommandResponse response) => JsonSerializer.Serialize(response, Info<CommandResponse>());

    /// <summary>A progress frame as one line of JSON, in its envelope.</summary>
    public static string ToLine(ProgressFrame frame) => JsonSerializer.Serialize(new ProgressEnvelope(frame), Info<ProgressEnvelope>());

    /// <summary>Reads a request line; throws <see cref="JsonException"/> saying what is wrong with it.</summary>
    public static CommandRequest ReadRequest(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, Info<CommandRequest>()) ?? throw new JsonException("expected a JSON object");
        }
        catch (JsonException e) when (e.InnerException is not JsonException && e.Path is { } path)
        {
            // A value of the wrong type (bad syntax has the reader's exception inside): name the field, not our types.
            throw new JsonException(path switch
            {
                "$" => "expected a JSON object",
                "$.args" => "\"args\" must be an array of strings",
                _ when path.StartsWith("$.args[", StringComparison.Ordinal) => "\"args\" must be strings",
                _ => $"\"{path.TrimStart('$', '.')}\" must be a string",
            }, e);
        }
    }

    /// <summary>Reads an answer line; throws <see cref="JsonException"/> when it is not one.</summary>
    public static CommandResponse ReadResponse(string line) =>
        JsonSerializer.Deserialize(line, Info<CommandResponse>()) ?? throw new JsonException("not an object");

    /// <summary>The progress frame a line carries; null when the line is something else (the answer, or not JSON at all).</summary>
    public static ProgressFrame? ReadProgress(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, Info<ProgressEnvelope>())?.Progress;
        }
        catch (JsonException)
        {
            return null; // whoever reads the line as an answer says what is wrong with it
        }
    }

    /// <summary>The help records as a response's data.</summary>
    public static JsonNode ToData(CommandHelp help) => JsonSerializer.SerializeToNode(help, Info<CommandHelp>())!;

    /// <summary>The help records in a <c>help</c> answer's data; null when there are none.</summary>
    public static CommandHelp? ReadHelp(JsonNode? data) => data?.Deserialize(Info<CommandHelp>());

    private static JsonTypeInfo<T> Info<T>() => (JsonTypeInfo<T>)Options.GetTypeInfo(typeof(T));

    private static void OkDecidesTheResponseFields(JsonTypeInfo info)
    {
        if (info.Type != typeof(CommandResponse))
        {
            return;
        }

        foreach (var property in info.Properties)
        {
            // Today's answers, which older collectorctl builds read: "data" is there (maybe null) exactly when ok.
            property.ShouldSerialize = property.Name switch
            {
                "lines" or "data" => (response, _) => ((CommandResponse)response).Ok,
                "error" => (response, _) => !((CommandResponse)response).Ok,
                _ => property.ShouldSerialize,
            };
        }
    }
}
