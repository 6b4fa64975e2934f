using System.Text.Json;
using System.Text.Json.Nodes;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// Turns one request line into one response: parses the JSON, checks the token, picks the palette by the first
/// word, and converts every failure into <c>ok:false</c> with a message, so a bad request never drops the connection.
/// </summary>
public sealed class CommandDispatcher
{
    private readonly IReadOnlyList<ICommandPalette> _palettes;
    private readonly CommandContext _context;
    private readonly string? _token;

    /// <summary>Creates the dispatcher over the given palettes.</summary>
    public CommandDispatcher(IReadOnlyList<ICommandPalette> palettes, CommandContext context, string? token)
    {
        _palettes = palettes;
        _context = context;
        _token = token;
    }

    /// <summary>The commands served, for <c>help</c>.</summary>
    public IEnumerable<string> Commands => _palettes.SelectMany(p => p.Commands).Append("help");

    /// <summary>Serves one request line.</summary>
    public async Task<CommandResponse> DispatchAsync(string requestLine)
    {
        List<string> words;
        try
        {
            words = Parse(requestLine, out var token);
            if (_token is not null && !string.Equals(token, _token, StringComparison.Ordinal))
            {
                return CommandResponse.Failure("missing or wrong token (collector.command-host.token)");
            }
        }
        catch (Exception e) when (e is JsonException or CommandException or InvalidOperationException)
        {
            return CommandResponse.Failure("bad request: " + e.Message);
        }

        try
        {
            if (words.Count == 0)
            {
                return CommandResponse.Failure("empty command (help lists the commands)");
            }

            if (words is ["help"])
            {
                var commands = Commands.ToList();
                var data = new JsonObject
                {
                    ["palettes"] = new JsonArray([.. _palettes.Select(p => (JsonNode?)JsonValue.Create(p.Name))]),
                    ["commands"] = new JsonArray([.. commands.Select(c => (JsonNode?)JsonValue.Create(c))]),
                };
                return CommandResponse.Success(commands, data);
            }

            var palette = _palettes.FirstOrDefault(p => p.Name == words[0])
                ?? throw new CommandException($"unknown command '{string.Join(' ', words)}' (help lists the commands)");
            return await palette.HandleAsync(words.Skip(1).ToList(), _context).ConfigureAwait(false);
        }
        catch (CommandException e)
        {
            return CommandResponse.Failure(e.Message);
        }
        catch (Akka.Actor.AskTimeoutException)
        {
            return CommandResponse.Failure("the node did not answer in time");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // E.g. the actor system stopping under a command in flight: still one answer, never a dropped connection.
            return CommandResponse.Failure($"the node could not serve '{string.Join(' ', words)}': {e.Message}");
        }
    }

    private static List<string> Parse(string line, out string? token)
    {
        var request = JsonNode.Parse(line) as JsonObject ?? throw new CommandException("expected a JSON object");
        token = request["token"]?.GetValue<string>();
        var words = new List<string>();
        var command = request["command"]?.GetValue<string>() ?? throw new CommandException("no \"command\"");
        words.AddRange(command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        if (request["args"] is JsonArray args)
        {
            words.AddRange(args.Select(a => a?.GetValue<string>() ?? throw new CommandException("\"args\" must be strings")));
        }

        return words;
    }
}
