using System.Text.Json;
using System.Text.Json.Serialization;

namespace CollectorCluster.Wire;

/// <summary>
/// One command to a node, one line of JSON: <c>{"command":"collector show","args":["alpha"],"token":null}</c>.
/// The first two words travel as <c>command</c>, the rest as <c>args</c>.
/// </summary>
/// <param name="Command">The palette and verb (<c>collector show</c>), or one word (<c>help</c>).</param>
/// <param name="Args">The words after the verb; absent when there are none to send.</param>
/// <param name="Token">The command host's token (<c>collector.command-host.token</c>); null when none is set.</param>
/// <param name="Password">
/// An account password read by collectorctl from stdin or a file; its own field so it never is a command word
/// (which would show in <c>ps</c> and history). Absent when none.
/// </param>
public sealed record CommandRequest(
    string Command,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Args,
    string? Token,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Password = null)
{
    /// <summary>The request for the command words as typed: the first two as the command, the rest as arguments.</summary>
    public static CommandRequest For(IReadOnlyList<string> words, string? token, string? password = null) =>
        new(string.Join(' ', words.Take(2)), [.. words.Skip(2)], token, password);

    /// <summary>All the words, the command's split on spaces and then the arguments; throws <see cref="JsonException"/> for a request without a command or with a non-string argument.</summary>
    public IReadOnlyList<string> Words()
    {
        // Deserialized requests can hold nulls the types do not admit: say which field is wrong.
        var command = Command ?? throw new JsonException("no \"command\"");
        var args = Args ?? [];
        return [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), .. args.Select(a => a ?? throw new JsonException("\"args\" must be strings"))];
    }

    /// <summary>The command words only: the token and the password stay out of logs and exceptions.</summary>
    public override string ToString() => string.Join(' ', [Command, .. Args ?? []]);
}
