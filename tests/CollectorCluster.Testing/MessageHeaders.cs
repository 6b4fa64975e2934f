using System.Text;

namespace CollectorCluster.Testing;

/// <summary>Reads what tests check in a delivered message's header.</summary>
public static class MessageHeaders
{
    /// <summary>The Message-ID of a message (header in its first 4 KiB), or null when it has none.</summary>
    public static string? MessageIdOf(byte[] content)
    {
        var text = Encoding.ASCII.GetString(content, 0, Math.Min(content.Length, 4096));
        foreach (var line in text.Split("\r\n"))
        {
            if (line.Length == 0)
            {
                break;
            }

            if (line.StartsWith("Message-ID:", StringComparison.OrdinalIgnoreCase))
            {
                return line["Message-ID:".Length..].Trim();
            }
        }

        return null;
    }
}
