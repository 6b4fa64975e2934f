using System.Globalization;
using System.Text;

namespace CollectorCluster.Node.Import;

/// <summary>Writes HOCON values: strings always quoted and escaped (JSON rules), so a peer's odd values never change the structure.</summary>
internal static class HoconText
{
    /// <summary>A quoted string.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }

    /// <summary>A list of quoted strings: <c>["a", "b"]</c>.</summary>
    public static string List(IEnumerable<string> values) => "[" + string.Join(", ", values.Select(Quote)) + "]";

    /// <summary>A comment line's text: one line, no control characters.</summary>
    public static string Comment(string text) => new(text.ReplaceLineEndings(" ").Select(c => char.IsControl(c) ? ' ' : c).ToArray());
}
