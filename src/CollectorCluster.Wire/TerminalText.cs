using System.Globalization;
using System.Text;

namespace CollectorCluster.Wire;

/// <summary>
/// Makes text that came from outside (a POP3 server's replies, a program's stderr, a file name) safe to show on a
/// terminal or write as one log line: control characters (ESC, CR, LF, BEL, DEL, the C1 range), the Unicode
/// direction overrides and line separators, and lone surrogates are written as visible escapes (<c>\x1b</c>,
/// <c>\u202e</c>), so no terminal escape sequence, fake log line or reordered text gets through.
/// </summary>
public static class TerminalText
{
    /// <summary>The text with every unsafe character escaped; the same string when there is none.</summary>
    public static string Sanitize(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }

        var first = FirstUnsafe(text);
        if (first < 0)
        {
            return text;
        }

        var safe = new StringBuilder(text.Length + 16).Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                safe.Append(c).Append(text[++i]);
            }
            else if (IsUnsafe(c))
            {
                safe.Append(c <= 0xFF ? $"\\x{(int)c:x2}" : $"\\u{(int)c:x4}");
            }
            else
            {
                safe.Append(c);
            }
        }

        return safe.ToString();
    }

    /// <summary>True when <paramref name="text"/> has nothing <see cref="Sanitize"/> would change.</summary>
    public static bool IsSafe(string? text) => string.IsNullOrEmpty(text) || FirstUnsafe(text) < 0;

    private static int FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (IsUnsafe(c))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Controls (tab included: it hides what is aligned where), direction overrides and isolates, line/paragraph separators, lone surrogates.</summary>
    private static bool IsUnsafe(char c) =>
        c < 0x20 || c is >= '\u007f' and <= '\u009f' || c is >= '\u202a' and <= '\u202e' || c is >= '\u2066' and <= '\u2069'
        || c is '\u2028' or '\u2029' or '\u200e' or '\u200f' or '\u061c' || char.IsSurrogate(c)
        || CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format && c is not ('\u200d' or '\u200c');
}
