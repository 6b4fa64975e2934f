namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// One status line (+OK / -ERR) split into its parts, so callers can act on the RFC 2449 response code
/// and quote the server's exact words in errors.
/// </summary>
/// <param name="IsOk">True for +OK.</param>
/// <param name="Line">The whole line, scrubbed of the password and sanitized for display (controls escaped, length capped).</param>
/// <param name="Text">The text after the status indicator, raw (for the APOP timestamp); never shown as it is.</param>
/// <param name="ResponseCode">The bracketed code at the start of the text, upper case, or null (also when it is not printable ASCII or too long).</param>
internal readonly record struct Pop3Reply(bool IsOk, string Line, string Text, string? ResponseCode)
{
    /// <summary>Longest response code kept (RFC 2449 codes are a few words, e.g. SYS/TEMP).</summary>
    private const int MaxCodeLength = 64;

    /// <summary>Parses a status line; returns false when it is neither +OK nor -ERR (a protocol error).</summary>
    public static bool TryParse(string line, out Pop3Reply reply)
    {
        bool ok;
        int rest;
        if (StartsWithWord(line, "+OK"))
        {
            ok = true;
            rest = 3;
        }
        else if (StartsWithWord(line, "-ERR"))
        {
            ok = false;
            rest = 4;
        }
        else
        {
            reply = default;
            return false;
        }

        var text = line[rest..].TrimStart(' ');
        string? code = null;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']');
            if (close > 1)
            {
                code = text[1..close].Trim().ToUpperInvariant();
                if (code.Length is 0 or > MaxCodeLength || code.Any(c => c is < '!' or > '~' && c != ' '))
                {
                    code = null; // not a code a server policy acts on, and never printed raw
                }
            }
        }

        reply = new Pop3Reply(ok, Pop3Text.Sanitize(line), text, code);
        return true;
    }

    private static bool StartsWithWord(string line, string word) =>
        line.StartsWith(word, StringComparison.OrdinalIgnoreCase)
        && (line.Length == word.Length || line[word.Length] == ' ');
}
