using System.Text.Json.Serialization;

namespace CollectorCluster.Wire;

/// <summary>
/// The wire records' generated JSON metadata: camelCase names, compact output. Read and write through
/// <see cref="CommandWire"/>, which adds the one rule attributes cannot say (which response fields go with <c>ok</c>).
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(CommandRequest))]
[JsonSerializable(typeof(CommandResponse))]
[JsonSerializable(typeof(ProgressEnvelope))]
[JsonSerializable(typeof(CommandHelp))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
