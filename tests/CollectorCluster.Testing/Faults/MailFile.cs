using System.Security.Cryptography;
using System.Text;

namespace CollectorCluster.Testing.Faults;

/// <summary>
/// One message as a mailbox holds it, reduced to what the fault campaign compares: its Message-ID, the SHA-256 of its
/// body (line ends normalised to LF, since Dovecot stores LF where the collector's Maildir keeps CRLF, and the
/// destination may add header fields), and the <c>X-CollectorCluster-Id</c> the collector adds for LMTP/SMTP/MDA.
/// </summary>
/// <param name="Path">The file (empty for a message built in memory).</param>
/// <param name="MessageId">The Message-ID with angle brackets, or null when there is none.</param>
/// <param name="BodySha256">SHA-256 (lower-case hex) of the body after the first empty line, CRLF turned into LF.</param>
/// <param name="CollectorId">The <c>X-CollectorCluster-Id</c> header, or null.</param>
public sealed record MailFile(string Path, string? MessageId, string BodySha256, string? CollectorId)
{
    /// <summary>Reads a message's bytes.</summary>
    public static MailFile Parse(string path, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var text = Encoding.Latin1.GetString(content).Replace("\r\n", "\n", StringComparison.Ordinal);
        var split = text.IndexOf("\n\n", StringComparison.Ordinal);
        var header = split < 0 ? text : text[..split];
        var body = split < 0 ? "" : text[(split + 2)..];
        string? messageId = null;
        string? collectorId = null;
        foreach (var line in header.Split('\n'))
        {
            messageId ??= Field(line, "Message-ID:");
            collectorId ??= Field(line, "X-CollectorCluster-Id:");
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.Latin1.GetBytes(body)));
        return new MailFile(path, messageId, hash, collectorId);
    }

    /// <summary>Reads one file.</summary>
    public static MailFile Read(string path) => Parse(path, File.ReadAllBytes(path));

    /// <summary>
    /// Every message of a Maildir, <c>new</c> then <c>cur</c>, each unique name (the part before <c>:2,</c>) once, so a
    /// file a server moves from one to the other meanwhile is neither missed nor counted twice; none when it does not exist.
    /// </summary>
    public static IReadOnlyList<MailFile> ReadMaildir(string maildir)
    {
        var files = new List<MailFile>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sub in new[] { "new", "cur" })
        {
            var directory = System.IO.Path.Combine(maildir, sub);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(directory))
            {
                var name = System.IO.Path.GetFileName(file);
                var colon = name.IndexOf(':', StringComparison.Ordinal);
                if (!seen.Add(colon < 0 ? name : name[..colon]))
                {
                    continue;
                }

                try
                {
                    files.Add(Read(file));
                }
                catch (FileNotFoundException)
                {
                    // Moved to cur/ (read next) or deleted meanwhile.
                    seen.Remove(colon < 0 ? name : name[..colon]);
                }
            }
        }

        return files;
    }

    private static string? Field(string line, string name) =>
        line.StartsWith(name, StringComparison.OrdinalIgnoreCase) ? line[name.Length..].Trim() : null;
}
