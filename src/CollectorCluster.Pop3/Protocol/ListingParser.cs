using System.Text;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// Strict parsing of UIDL and LIST lines straight from the receive buffer. A bad line is refused rather than
/// guessed at, because a mis-read UIDL means a duplicate or a lost message downstream.
/// </summary>
internal static class ListingParser
{
    /// <summary>"n uid": n a positive number, uid printable ASCII 0x21-0x7E (RFC 1939 says 1..70; longer is tolerated).</summary>
    public static bool TryParseUidl(ReadOnlySpan<byte> line, out int number, out string uidl)
    {
        uidl = string.Empty;
        if (!TryParseNumber(ref line, out number) || !SkipSpaces(ref line) || line.IsEmpty)
        {
            return false;
        }

        foreach (var b in line)
        {
            if (b is < 0x21 or > 0x7E)
            {
                return false;
            }
        }

        uidl = Encoding.ASCII.GetString(line);
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
