using System.Text;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// Rendering of server text into error messages, warnings and logs: control characters escaped and length capped,
/// so a hostile or broken server cannot inject log lines, drive a terminal (ESC sequences) or flood them. Every
/// server-sent string leaves the engine through <see cref="Quote"/> or <see cref="Sanitize"/>.
/// </summary>
internal static class Pop3Text
{
    /// <summary>Longest server text kept in a message (a status line, IMPLEMENTATION, a certificate name).</summary>
    public const int MaxDisplayed = 200;

    private const int MaxQuoted = MaxDisplayed;

    /// <summary>
    /// Server text made safe to print: C0 and C1 controls (NUL, CR, LF, ESC...), DEL and the Unicode line separators
    /// and bidirectional overrides become visible escapes (<c>\x1B</c>, <c>\u202E</c>); the result is cut at
    /// <paramref name="max"/> characters, marked with "...".
    /// </summary>
    public static string Sanitize(string text, int max = MaxDisplayed)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clean = true;
        foreach (var c in text)
        {
            if (IsUnsafe(c))
            {
                clean = false;
                break;
            }
        }

        if (text.Length <= max && clean)
        {
            return text;
        }

        if (clean)
        {
            var cut = max > 0 && char.IsHighSurrogate(text[max - 1]) ? max - 1 : max; // never half a surrogate pair
            return string.Concat(text.AsSpan(0, cut), "...");
        }

        var sb = new StringBuilder(Math.Min(text.Length, max) + 8);
        foreach (var c in text)
        {
            if (sb.Length >= max)
            {
                sb.Append("...");
                break;
            }

            if (!IsUnsafe(c))
            {
                sb.Append(c);
            }
            else if (c <= 0xFF)
            {
                sb.Append("\\x").Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>True for what must never reach a log or terminal raw.</summary>
    private static bool IsUnsafe(char c) =>
        c < 0x20 || c is >= (char)0x7F and <= (char)0x9F
        || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F';

    /// <summary>Quotes a raw line for an error message.</summary>
    public static string Quote(ReadOnlySpan<byte> line)
    {
        var sb = new StringBuilder(Math.Min(line.Length, MaxQuoted) + 8);
        sb.Append('"');
        var n = Math.Min(line.Length, MaxQuoted);
        for (var i = 0; i < n; i++)
        {
            var b = line[i];
            if (b is >= 0x20 and < 0x7F && b != (byte)'"' && b != (byte)'\\')
            {
                sb.Append((char)b);
            }
            else
            {
                sb.Append(b switch
                {
                    (byte)'"' => "\\\"",
                    (byte)'\\' => "\\\\",
                    (byte)'\t' => "\\t",
                    (byte)'\r' => "\\r",
                    (byte)'\n' => "\\n",
                    _ => $"\\x{b:X2}",
                });
            }
        }

        if (line.Length > MaxQuoted)
        {
            sb.Append("...");
        }

        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>Decodes a status line for display (UTF-8, invalid bytes replaced).</summary>
    public static string Decode(ReadOnlySpan<byte> line) => Encoding.UTF8.GetString(line);
}
