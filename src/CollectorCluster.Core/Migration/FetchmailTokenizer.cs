using System.Text;

namespace CollectorCluster.Core.Migration;

/// <summary>
/// Splits a <c>.fetchmailrc</c> into tokens as fetchmail's manual describes its run-control syntax: <c>#</c> comments,
/// double- or single-quoted strings with fetchmail's escapes (<c>\n \t \b \r</c>, <c>\nnn</c> decimal, <c>\0ooo</c>
/// octal, <c>\xhh</c> hex, backslash-newline joining lines), <c>=</c> as its own token, and the punctuation
/// <c>, ; :</c> ignored.
/// </summary>
public static class FetchmailTokenizer
{
    /// <summary>The tokens of <paramref name="text"/>.</summary>
    /// <exception cref="FormatException">An unterminated quoted string (naming its line).</exception>
    public static IReadOnlyList<RcToken> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = new List<RcToken>();
        var line = 1;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
                i++;
            }
            else if (char.IsWhiteSpace(c) || c is ',' or ';' or ':')
            {
                i++;
            }
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n')
                {
                    i++;
                }
            }
            else if (c == '=')
            {
                tokens.Add(new RcToken("=", false, line));
                i++;
            }
            else if (c is '"' or '\'')
            {
                var start = line;
                tokens.Add(new RcToken(ReadQuoted(text, ref i, ref line), true, start));
            }
            else
            {
                var from = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not (',' or ';' or ':' or '=' or '#' or '"' or '\''))
                {
                    i++;
                }

                tokens.Add(new RcToken(text[from..i], false, line));
            }
        }

        return tokens;
    }

    private static string ReadQuoted(string text, ref int i, ref int line)
    {
        var quote = text[i];
        var start = line;
        var value = new StringBuilder();
        i++;
        while (i < text.Length && text[i] != quote)
        {
            var c = text[i];
            if (c == '\n')
            {
                line++;
            }

            if (c != '\\' || i + 1 >= text.Length)
            {
                value.Append(c);
                i++;
                continue;
            }

            var next = text[i + 1];
            i += 2;
            switch (next)
            {
                case '\n':
                    line++; // backslash-newline joins the lines
                    break;
                case 'n':
                    value.Append('\n');
                    break;
                case 't':
                    value.Append('\t');
                    break;
                case 'b':
                    value.Append('\b');
                    break;
                case 'r':
                    value.Append('\r');
                    break;
                case 'x':
                    value.Append(Number(text, ref i, 16, 2));
                    break;
                case '0':
                    value.Append(Number(text, ref i, 8, 3));
                    break;
                case >= '1' and <= '9':
                    i--;
                    value.Append(Number(text, ref i, 10, 3));
                    break;
                default:
                    value.Append(next); // \" \\ \' and anything else: the character itself
                    break;
            }
        }

        if (i >= text.Length)
        {
            throw new FormatException($"line {start}: unterminated quoted string");
        }

        i++;
        return value.ToString();
    }

    private static char Number(string text, ref int i, int radix, int maxDigits)
    {
        var from = i;
        var digits = radix switch { 16 => "0123456789abcdefABCDEF", 8 => "01234567", _ => "0123456789" };
        while (i < text.Length && i - from < maxDigits && digits.Contains(text[i], StringComparison.Ordinal))
        {
            i++;
        }

        var number = from == i ? 0 : Convert.ToInt32(text[from..i], radix);
        return (char)Math.Min(number, 255);
    }
}
