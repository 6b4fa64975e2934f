using System.Text;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// Rendering of server lines into error messages: quoted, control characters escaped and length capped,
/// so a hostile or broken server cannot inject log lines or flood them.
/// </summary>
internal static class Pop3Text
{
    private const int MaxQuoted = 200;

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
