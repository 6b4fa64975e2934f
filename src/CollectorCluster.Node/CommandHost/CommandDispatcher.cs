using System.Text.Json;
using System.Text.Json.Nodes;
using CollectorCluster.Core.Commands;

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
    public Task<CommandResponse> DispatchAsync(string requestLine) => DispatchAsync(requestLine, _ => Task.CompletedTask, CancellationToken.None);

    /// <summary>
    /// Serves one request line; <paramref name="progress"/> sends a frame to the client ahead of the answer, and
    /// <paramref name="cancellation"/> ends commands that stream until the client leaves (<c>log tail --follow</c>).
    /// </summary>
    public async Task<CommandResponse> DispatchAsync(string requestLine, Func<JsonObject, Task> progress, CancellationToken cancellation)
    {
        List<string> words;
        CollectorCluster.Core.Accounts.Secret? password;
        try
        {
            words = Parse(requestLine, out var token, out password);
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

            if (words[0] == "help")
            {
                return Help(words.Skip(1).ToList());
            }

            var palette = _palettes.FirstOrDefault(p => p.Name == words[0]) ?? throw Unknown(words, _palettes.Select(p => p.Name).Append("help"), null);
            if (words.Count > 1)
            {
                var verbs = Verbs(palette).ToList();
                if (verbs.Count > 0 && !verbs.Contains(words[1], StringComparer.Ordinal))
                {
                    throw Unknown(words, verbs, palette.Name);
                }
            }

            var context = _context with { Progress = progress, Cancellation = cancellation, Password = password };
            return await palette.HandleAsync(words.Skip(1).ToList(), context).ConfigureAwait(false);
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

    /// <summary>The second word of each usage line: what may follow the palette's name.</summary>
    private static IEnumerable<string> Verbs(ICommandPalette palette) =>
        palette.Commands.Select(c => c.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length > 1).Select(w => w[1]).Distinct(StringComparer.Ordinal);

    private static CommandException Unknown(List<string> words, IEnumerable<string> known, string? palette)
    {
        var typed = palette is null ? words[0] : words[1];
        var near = DidYouMean.Closest(typed, known);
        // The whole corrected command: the suggestion in place of the mistyped word, the rest as typed.
        var corrected = palette is null ? [near, .. words.Skip(1)] : new[] { palette, near }.Concat(words.Skip(2));
        var hint = near is null ? "" : $"; did you mean '{string.Join(' ', corrected)}'?";
        return new CommandException($"unknown command '{string.Join(' ', words)}'{hint} (help lists the commands)");
    }

    /// <summary>
    /// <c>help [palette]</c>: the usage lines, and, as data, the palettes with their commands and argument hints
    /// (collectorctl completes from them with TAB).
    /// </summary>
    private CommandResponse Help(List<string> about)
    {
        var palettes = _palettes.Where(p => about.Count == 0 || p.Name == about[0]).ToList();
        if (about.Count > 0 && palettes.Count == 0)
        {
            throw Unknown(["help", .. about], _palettes.Select(p => p.Name), "help");
        }

        var commands = palettes.SelectMany(p => p.Commands).ToList();
        if (about.Count == 0)
        {
            commands.Add("help [palette]");
        }

        var data = new JsonObject
        {
            ["palettes"] = new JsonArray([.. palettes.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p.Name,
                ["commands"] = new JsonArray([.. p.Commands.Select(c => (JsonNode)Describe(c))]),
            })]),
            ["commands"] = new JsonArray([.. commands.Select(c => (JsonNode?)JsonValue.Create(c))]),
        };
        return CommandResponse.Success(commands, data);
    }

    private static JsonObject Describe(string usage)
    {
        var words = usage.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new JsonObject
        {
            ["usage"] = usage,
            ["verb"] = words.Length > 1 ? words[1] : "",
            ["arguments"] = new JsonArray([.. words.Skip(2).Select(w => (JsonNode?)JsonValue.Create(w))]),
        };
    }

    private static List<string> Parse(string line, out string? token, out CollectorCluster.Core.Accounts.Secret? password)
    {
        var request = JsonNode.Parse(line) as JsonObject ?? throw new CommandException("expected a JSON object");
        token = request["token"]?.GetValue<string>();
        password = request["password"]?.GetValue<string>() is { } p ? new CollectorCluster.Core.Accounts.Secret(p) : null;
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
