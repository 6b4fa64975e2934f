using System.Net;
using System.Text;

namespace CollectorCluster.Node.Web;

/// <summary>
/// Builds the console's pages as text: every value goes through <see cref="Text"/> (HTML-encoded), so account ids,
/// server replies and settings can never become markup; only the page code's own literals are written raw.
/// </summary>
public sealed class Html
{
    private readonly StringBuilder _out = new();

    /// <summary>HTML-encodes <paramref name="value"/> (text and attribute values alike).</summary>
    public static string Encode(string? value) => WebUtility.HtmlEncode(value ?? "");

    /// <summary>Appends markup written by the page code itself (never a value from outside).</summary>
    public Html Raw(string markup)
    {
        _out.Append(markup);
        return this;
    }

    /// <summary>Appends a value as text.</summary>
    public Html Text(string? value)
    {
        _out.Append(Encode(value));
        return this;
    }

    /// <summary>Appends <c>&lt;tag attrs&gt;text&lt;/tag&gt;</c>; the attribute values and text encoded.</summary>
    public Html Element(string tag, string? text, params (string Name, string? Value)[] attributes)
    {
        Open(tag, attributes);
        Text(text);
        return Raw($"</{tag}>");
    }

    /// <summary>Appends an opening tag with encoded attribute values (a null value leaves the attribute out).</summary>
    public Html Open(string tag, params (string Name, string? Value)[] attributes)
    {
        _out.Append('<').Append(tag);
        foreach (var (name, value) in attributes)
        {
            if (value is not null)
            {
                _out.Append(' ').Append(name).Append("=\"").Append(Encode(value)).Append('"');
            }
        }

        _out.Append('>');
        return this;
    }

    /// <inheritdoc />
    public override string ToString() => _out.ToString();
}
