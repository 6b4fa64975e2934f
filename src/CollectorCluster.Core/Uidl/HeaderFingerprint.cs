using System.Security.Cryptography;
using System.Text;

namespace CollectorCluster.Core.Uidl;

/// <summary>
/// A message's identity that survives a change of UIDLs: SHA-256 over its Message-ID, Date and From headers
/// (unfolded, whitespace collapsed). Computed from the header block alone, so TOP n 0 gives the same value as
/// the full message did when it was collected. A message without a Message-ID has none: Date and From alone are
/// shared by distinct messages (a monitor's alerts), and a fingerprint must never pair two messages.
/// </summary>
public static class HeaderFingerprint
{
    private static readonly string[] Fields = ["message-id", "date", "from"];

    /// <summary>The fingerprint ("sha256:" + 32 hex digits), or null when the header has no (non-empty) Message-ID.</summary>
    /// <param name="headerBlock">The message's leading bytes, at least up to the blank line ending the header.</param>
    public static string? Compute(ReadOnlySpan<byte> headerBlock)
    {
        // The header block's end is found in the bytes (Latin-1 maps them one to one), so only the header becomes a
        // string: the block handed in is up to 64 KiB of the message, its header usually a few hundred bytes.
        var end = headerBlock.IndexOf("\r\n\r\n"u8);
        if (end < 0)
        {
            end = headerBlock.IndexOf("\n\n"u8);
        }

        var text = Encoding.Latin1.GetString(end >= 0 ? headerBlock[..end] : headerBlock);

        var values = new string?[Fields.Length];
        string? name = null;
        var value = new StringBuilder();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length > 0 && (line[0] == ' ' || line[0] == '\t'))
            {
                value.Append(' ').Append(line.Trim()); // folded continuation
                continue;
            }

            Store(values, name, value);
            var colon = line.IndexOf(':');
            name = colon > 0 ? line[..colon].Trim().ToLowerInvariant() : null;
            value.Clear();
            if (colon > 0)
            {
                value.Append(line[(colon + 1)..].Trim());
            }
        }

        Store(values, name, value);
        if (string.IsNullOrEmpty(values[0]))
        {
            return null;
        }

        var joined = string.Join("\n", values.Select(v => v ?? ""));
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(joined)))[..32];
    }

    private static void Store(string?[] values, string? name, StringBuilder value)
    {
        var index = name is null ? -1 : Array.IndexOf(Fields, name);
        if (index >= 0 && values[index] is null)
        {
            values[index] = string.Join(' ', value.ToString().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries));
        }
    }
}
