namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// Strict parsing of UIDL and LIST lines straight from the receive buffer. A bad line is refused rather than
/// guessed at, because a mis-read UIDL means a duplicate or a lost message downstream.
/// </summary>
internal static class ListingParser
{
    /// <summary>
    /// "n uid": n a positive number, then the UIDL up to the end of the line (trailing blanks dropped). The key is the
    /// UIDL itself when it is what RFC 1939 allows (1 to 70 printable characters), else its fixed-size digest
    /// (<see cref="UidlKey"/>) with <paramref name="conforming"/> false, for the session's warnings.
    /// </summary>
    public static bool TryParseUidl(ReadOnlySpan<byte> line, out int number, out string uidl, out bool conforming)
    {
        uidl = string.Empty;
        conforming = true;
        if (!TryParseNumber(ref line, out number) || !SkipSpaces(ref line))
        {
            return false;
        }

        line = line.TrimEnd(" \t"u8);
        if (line.IsEmpty)
        {
            return false;
        }

        uidl = UidlKey.From(line, out conforming);
        return true;
    }

    /// <summary>"n size [anything]": RFC 1939 puts no requirement on what follows the size.</summary>
    public static bool TryParseList(ReadOnlySpan<byte> line, out int number, out long size)
    {
        size = 0;
        if (!TryParseNumber(ref line, out number) || !SkipSpaces(ref line))
        {
            return false;
        }

        var digits = 0;
        while (digits < line.Length && line[digits] is >= (byte)'0' and <= (byte)'9')
        {
            if (digits == 18)
            {
                return false;
            }

            size = (size * 10) + (line[digits] - '0');
            digits++;
        }

        return digits > 0 && (digits == line.Length || line[digits] == (byte)' ');
    }

    private static bool TryParseNumber(ref ReadOnlySpan<byte> line, out int number)
    {
        number = 0;
        var digits = 0;
        while (digits < line.Length && line[digits] is >= (byte)'0' and <= (byte)'9')
        {
            if (digits == 9)
            {
                return false;
            }

            number = (number * 10) + (line[digits] - '0');
            digits++;
        }

        line = line[digits..];
        return digits > 0 && number > 0;
    }

    private static bool SkipSpaces(ref ReadOnlySpan<byte> line)
    {
        var spaces = 0;
        while (spaces < line.Length && line[spaces] == (byte)' ')
        {
            spaces++;
        }

        line = line[spaces..];
        return spaces > 0;
    }
}
