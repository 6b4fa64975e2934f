namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// One status line (+OK / -ERR) split into its parts, so callers can act on the RFC 2449 response code
/// and quote the server's exact words in errors.
/// </summary>
/// <param name="IsOk">True for +OK.</param>
/// <param name="Line">The whole line as received (already scrubbed of the password).</param>
/// <param name="Text">The text after the status indicator.</param>
/// <param name="ResponseCode">The bracketed code at the start of the text, upper case, or null.</param>
internal readonly record struct Pop3Reply(bool IsOk, string Line, string Text, string? ResponseCode)
{
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
            }
        }

        reply = new Pop3Reply(ok, line, text, code);
        return true;
    }

    private static bool StartsWithWord(string line, string word) =>
        line.StartsWith(word, StringComparison.OrdinalIgnoreCase)
        && (line.Length == word.Length || line[word.Length] == ' ');
}
