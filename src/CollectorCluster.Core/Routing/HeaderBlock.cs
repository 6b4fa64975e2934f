using System.Text;

namespace CollectorCluster.Core.Routing;

/// <summary>
/// Splits a message's header block (RFC 5322 section 2.2) into fields. Tolerant, as mail in the wild demands: bare LF
/// line ends, lines without a colon (skipped) and 8-bit bytes (decoded as UTF-8) are all accepted; bounded, so a hostile
/// message cannot make it allocate without limit.
/// </summary>
public static class HeaderBlock
{
    /// <summary>The most fields read; later ones are ignored (no real message comes near).</summary>
    public const int MaxFields = 2000;

    /// <summary>The longest unfolded value kept; longer values are cut (addresses beyond that are not routed).</summary>
    public const int MaxValueLength = 64 * 1024;

    /// <summary>The fields of <paramref name="message"/>'s header, which ends at the first empty line (or the end of the bytes given).</summary>
    /// <param name="message">The message's leading bytes, at least its whole header block.</param>
    public static IReadOnlyList<HeaderField> Parse(ReadOnlySpan<byte> message)
    {
        var end = HeaderEnd(message);
        var text = Encoding.UTF8.GetString(end < 0 ? message : message[..end]);
        var fields = new List<HeaderField>();
        string? name = null;
        var value = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                if (name is not null && value.Length < MaxValueLength)
                {
                    value.Append(' ').Append(line.Trim());
                }

                continue;
            }

            Add(fields, name, value);
            name = null;
            value.Clear();
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line.AsSpan(0, colon).IndexOfAny(' ', '\t') < 0)
            {
                name = line[..colon];
                value.Append(line.AsSpan(colon + 1).Trim());
            }

            if (fields.Count >= MaxFields)
            {
                return fields;
            }
        }

        Add(fields, name, value);
        return fields;
    }

    /// <summary>
    /// The offset where the body starts (just after the empty line ending the header), or -1 when
    /// <paramref name="message"/> holds no complete header block.
    /// </summary>
    public static int BodyStart(ReadOnlySpan<byte> message) => Split(message).BodyStart;

    /// <summary>All values of the fields named <paramref name="name"/> (case-insensitive), top to bottom.</summary>
    public static IEnumerable<string> Values(IReadOnlyList<HeaderField> fields, string name) =>
        fields.Where(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value);

    private static int HeaderEnd(ReadOnlySpan<byte> message) => Split(message).HeaderEnd;

    // Where the header's last line ends (before its line break) and where the body starts, or -1 and -1.
    private static (int HeaderEnd, int BodyStart) Split(ReadOnlySpan<byte> message)
    {
        var lineStart = 0;
        for (var i = 0; i < message.Length; i++)
        {
            if (message[i] != '\n')
            {
                continue;
            }

            var content = i > lineStart && message[i - 1] == '\r' ? i - 1 - lineStart : i - lineStart;
            if (content == 0)
            {
                // An empty line: the header ended with the line break before it.
                var headerEnd = lineStart == 0 ? 0 : (lineStart >= 2 && message[lineStart - 2] == '\r' ? lineStart - 2 : lineStart - 1);
                return (headerEnd, i + 1);
            }

            lineStart = i + 1;
        }

        return (-1, -1);
    }

    private static void Add(List<HeaderField> fields, string? name, StringBuilder value)
    {
        if (name is not null)
        {
            var text = value.Length > MaxValueLength ? value.ToString(0, MaxValueLength) : value.ToString();
            fields.Add(new HeaderField(name.Trim(), text.Trim()));
        }
    }
}
