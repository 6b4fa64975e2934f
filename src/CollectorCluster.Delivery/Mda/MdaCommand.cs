using System.Text;

namespace CollectorCluster.Delivery.Mda;

/// <summary>
/// A delivery program and its arguments, split the way a shell would for plain words and quotes but never run
/// through a shell: no expansion, no redirection, nothing a mailbox setting could inject.
/// </summary>
/// <param name="Program">Absolute path of the program.</param>
/// <param name="Arguments">Its arguments, as given.</param>
public sealed record MdaCommand(string Program, IReadOnlyList<string> Arguments)
{
    /// <summary>Splits <paramref name="commandLine"/> on blanks; '…' and "…" group words, backslash escapes in "…" and bare words.</summary>
    /// <exception cref="FormatException">Empty, an unclosed quote, or a program path that is not absolute.</exception>
    public static MdaCommand Parse(string commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var words = SplitWords(commandLine);
        if (words.Count == 0)
        {
            throw new FormatException("the command is empty");
        }

        if (!Path.IsPathFullyQualified(words[0]))
        {
            throw new FormatException($"the program '{words[0]}' must be an absolute path (no PATH search for a delivery program)");
        }

        return new MdaCommand(words[0], words.Skip(1).ToList());
    }

    private static List<string> SplitWords(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char quote = '\0';
        for (var i = 0; i < commandLine.Length; i++)
        {
            var c = commandLine[i];
            if (quote == '\'')
            {
                if (c == '\'')
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c == '\\' && i + 1 < commandLine.Length && (quote == '\0' || commandLine[i + 1] is '"' or '\\'))
            {
                word.Append(commandLine[++i]);
                inWord = true;
            }
            else if (quote == '"')
            {
                if (c == '"')
                {
                    quote = '\0';
                }
                else
                {
                    word.Append(c);
                }
            }
            else if (c is '\'' or '"')
            {
                quote = c;
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else if (char.IsControl(c))
            {
                throw new FormatException("the command contains a control character");
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }

        if (quote != '\0')
        {
            throw new FormatException($"the command has an unclosed {quote} quote");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <inheritdoc />
    public override string ToString() => string.Join(' ', new[] { Program }.Concat(Arguments).Select(a => a.Any(char.IsWhiteSpace) || a.Length == 0 ? $"'{a}'" : a));
}
