using System.Text;

namespace CollectorCluster.Core.Routing;

/// <summary>
/// Reads the addresses of an address-list header (To, Cc, Delivered-To ...; RFC 5322 section 3.4): display names,
/// quoted strings, comments, angle brackets, source routes and groups are understood; anything that is not an address
/// is skipped, never guessed at. Only the addr-specs come out (the routing needs nothing else).
/// </summary>
public static class AddressListParser
{
    /// <summary>The most addresses read from one value (a header listing more is cut there).</summary>
    public const int MaxAddresses = 1000;

    /// <summary>The addresses in <paramref name="value"/>, in order, duplicates kept.</summary>
    public static IReadOnlyList<RecipientAddress> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var result = new List<RecipientAddress>();
        var bare = new StringBuilder(); // the current element's text outside comments, display names kept
        string? angle = null;
        var i = 0;
        while (i < value.Length && result.Count < MaxAddresses)
        {
            var c = value[i];
            switch (c)
            {
                case '"':
                    var quoted = ReadQuoted(value, ref i);
                    bare.Append('"').Append(quoted).Append('"');
                    continue;
                case '(':
                    SkipComment(value, ref i);
                    bare.Append(' ');
                    continue;
                case '<':
                    var close = value.IndexOf('>', i + 1);
                    angle = close < 0 ? value[(i + 1)..] : value[(i + 1)..close];
                    i = close < 0 ? value.Length : close + 1;
                    continue;
                case ':' when angle is null:
                    bare.Clear(); // a group's display name ("undisclosed-recipients:") is not an address
                    break;
                case ',' or ';':
                    Emit(result, bare, ref angle);
                    break;
                default:
                    bare.Append(c);
                    break;
            }

            i++;
        }

        Emit(result, bare, ref angle);
        return result;
    }

    /// <summary>Reads one addr-spec (<c>local@domain</c>, the local part possibly quoted); null when it is not one.</summary>
    public static RecipientAddress? ParseAddrSpec(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var spec = text.Trim();
        var colon = spec.LastIndexOf(':');
        if (spec.StartsWith('@') && colon > 0)
        {
            spec = spec[(colon + 1)..]; // an obsolete source route: @relay1,@relay2:user@domain
        }

        var at = spec.LastIndexOf('@');
        if (at <= 0 || at == spec.Length - 1)
        {
            return null;
        }

        var local = spec[..at].Trim();
        var domain = spec[(at + 1)..].Trim().TrimEnd('.').ToLowerInvariant();
        if (local.Length > 1 && local[0] == '"' && local[^1] == '"')
        {
            local = local[1..^1];
        }
        else if (local.Any(char.IsWhiteSpace))
        {
            return null; // a phrase, not a local part
        }

        if (local.Length is 0 or > 256 || domain.Length is 0 or > 255 || domain.Any(ch => char.IsWhiteSpace(ch) || char.IsControl(ch) || ch is '@' or '<' or '>' or '"' or ','))
        {
            return null;
        }

        return local.Any(char.IsControl) ? null : new RecipientAddress(local.ToLowerInvariant(), domain);
    }

    private static void Emit(List<RecipientAddress> result, StringBuilder bare, ref string? angle)
    {
        var candidate = angle ?? bare.ToString();
        bare.Clear();
        angle = null;
        if (candidate.Trim().Length > 0 && ParseAddrSpec(candidate) is { } address)
        {
            result.Add(address);
        }
    }

    // Returns the quoted string's content (escapes resolved) and leaves i after the closing quote.
    private static string ReadQuoted(string value, ref int i)
    {
        var text = new StringBuilder();
        i++;
        while (i < value.Length && value[i] != '"')
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            text.Append(value[i]);
            i++;
        }

        i++;
        return text.ToString();
    }

    // Comments nest (RFC 5322 3.2.2); leaves i after the closing parenthesis (or at the end).
    private static void SkipComment(string value, ref int i)
    {
        var depth = 0;
        while (i < value.Length)
        {
            switch (value[i])
            {
                case '\\':
                    i++;
                    break;
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    if (depth == 0)
                    {
                        i++;
                        return;
                    }

                    break;
            }

            i++;
        }
    }
}
