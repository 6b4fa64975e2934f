using System.Text.Json;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Commands;
using CollectorCluster.Wire;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// Turns one request into one response: picks the palette by the first word, and converts every failure of a
/// command into <c>ok:false</c> with a message. Reading the line and checking the token are the server's
/// (<see cref="CommandServer"/>), which closes the connection on a line that is not a request.
/// </summary>
public sealed class CommandDispatcher
{
    private readonly IReadOnlyList<ICommandPalette> _palettes;
    private readonly CommandContext _context;

    /// <summary>Creates the dispatcher over the given palettes.</summary>
    public CommandDispatcher(IReadOnlyList<ICommandPalette> palettes, CommandContext context)
    {
        _palettes = palettes;
        _context = context;
    }

    /// <summary>The commands served, for <c>help</c>.</summary>
    public IEnumerable<string> Commands => _palettes.SelectMany(p => p.Commands).Append("help");

    /// <summary>What the commands run against (the node's system, regions and options).</summary>
    public CommandContext Context => _context;

    /// <summary>
    /// Serves one request (read and authenticated by the server); <paramref name="progress"/> sends a frame to the
    /// client ahead of the answer, and <paramref name="cancellation"/> ends commands that stream until the client
    /// leaves (<c>log tail --follow</c>).
    /// </summary>
    public async Task<CommandResponse> DispatchAsync(CommandRequest request, Func<ProgressFrame, Task> progress, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(request);
        List<string> words;
        try
        {
            words = [.. request.Words()];
        }
        catch (JsonException e)
        {
            return CommandResponse.Failure("bad request: " + e.Message);
        }

        var password = request.Password is { } given ? new Secret(given) : null;
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
        palette.Commands.Select(c => CommandUsage.Parse(c).Verb).Where(v => v.Length > 0).Distinct(StringComparer.Ordinal);

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

        var help = new CommandHelp([.. palettes.Select(p => new PaletteHelp(p.Name, [.. p.Commands.Select(CommandUsage.Parse)]))], commands);
        return CommandResponse.Success(commands, CommandWire.ToData(help));
    }
}
