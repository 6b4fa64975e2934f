using CollectorCluster.Wire;

namespace CollectorCluster.Ctl;

/// <summary>
/// TAB completion from what the node advertises in <c>help</c> (palettes, their verbs and argument hints) plus
/// the account ids it knows: pure, so the prompt only has to ask it for the candidates of the word under the cursor.
/// </summary>
public sealed class CommandCompleter
{
    private readonly Dictionary<string, List<(string Verb, List<string> Arguments)>> _palettes = new(StringComparer.Ordinal);
    private readonly List<string> _accounts;

    /// <summary>Builds the completer from the data of a <c>help</c> answer and the known account ids.</summary>
    public CommandCompleter(CommandHelp? help, IEnumerable<string> accounts)
    {
        // Candidates are printed on the terminal: a word with a control character is never offered.
        _accounts = [.. accounts.Where(TerminalText.IsSafe)];
        // Read from the wire: a node may leave out what the records do not allow to be null.
        foreach (var palette in help?.Palettes ?? [])
        {
            if (palette?.Name is { } name && TerminalText.IsSafe(name))
            {
                _palettes[name] = [.. (palette.Commands ?? []).Select(c => (Safe(c?.Verb), (c?.Arguments ?? []).Select(Safe).ToList()))];
            }
        }
    }

    private static string Safe(string? word) => word is not null && TerminalText.IsSafe(word) ? word : "";

    /// <summary>The palette names, for the first word.</summary>
    public IEnumerable<string> Palettes => _palettes.Keys;

    /// <summary>
    /// The candidates for the last word of <paramref name="line"/> (an empty last word when the line ends in a
    /// space), sorted and distinct.
    /// </summary>
    public IReadOnlyList<string> Candidates(string line)
    {
        var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (line.Length == 0 || line.EndsWith(' '))
        {
            words.Add("");
        }

        var prefix = words[^1];
        IEnumerable<string> all = words.Count switch
        {
            1 => _palettes.Keys.Concat(["help", "exit"]),
            2 when words[0] == "help" => _palettes.Keys,
            2 => _palettes.TryGetValue(words[0], out var commands) ? commands.Select(c => c.Verb) : [],
            _ => Arguments(words[0], words[1], words.Count - 3),
        };
        return [.. all.Where(c => c.Length > 0 && c.StartsWith(prefix, StringComparison.Ordinal)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    /// <summary>The longest text every candidate starts with (what TAB inserts when several match).</summary>
    public static string CommonPrefix(IReadOnlyList<string> candidates)
    {
        if (candidates.Count == 0)
        {
            return "";
        }

        var prefix = candidates[0];
        foreach (var c in candidates.Skip(1))
        {
            var n = 0;
            while (n < prefix.Length && n < c.Length && prefix[n] == c[n])
            {
                n++;
            }

            prefix = prefix[..n];
        }

        return prefix;
    }

    /// <summary>
    /// Argument candidates: every option the usage names (<c>--all</c>, <c>--status</c>), the literal choices of the
    /// hint at this position (<c>download|delete|clear</c>), and account ids where the hint is an account.
    /// </summary>
    private IEnumerable<string> Arguments(string palette, string verb, int position)
    {
        if (!_palettes.TryGetValue(palette, out var commands))
        {
            yield break;
        }

        foreach (var (v, arguments) in commands.Where(c => c.Verb == verb))
        {
            var hints = arguments.SelectMany(a => a.Trim('[', ']').Split('|')).ToList();
            foreach (var option in hints.Where(h => h.StartsWith("--", StringComparison.Ordinal)))
            {
                yield return option.Split(' ')[0];
            }

            if (position < arguments.Count)
            {
                var hint = arguments[position].Trim('[', ']');
                foreach (var choice in hint.Split('|'))
                {
                    if (choice is "<id>" or "<account>" or "<id>|--all")
                    {
                        foreach (var account in _accounts)
                        {
                            yield return account;
                        }
                    }
                    else if (!choice.StartsWith('<') && !choice.StartsWith('-') && choice.Length > 0 && choice.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '-'))
                    {
                        yield return choice;
                    }
                }
            }
        }
    }
}
