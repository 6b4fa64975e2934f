using System.Text;

namespace CollectorCluster.Core.Migration;

/// <summary>
/// The UIDLs another collector had already fetched from one mailbox, as <c>collector import</c> writes them for an
/// account's <c>imported-uidls</c> file: a header naming the mailbox (server and user) and where they came from, then one
/// UIDL per line. The mailbox is in the file so a seed is never applied to another mailbox.
/// </summary>
/// <param name="Server">The POP3 server the UIDLs belong to.</param>
/// <param name="User">The login they belong to.</param>
/// <param name="Origin">Where the peer kept them, e.g. <c>fetchmail /home/fred/.fetchids</c>.</param>
/// <param name="Uidls">The UIDLs, in the peer's order, without duplicates.</param>
public sealed record UidlSeed(string Server, string User, string Origin, IReadOnlyList<string> Uidls)
{
    /// <summary>The first line of every seed file (the format's version).</summary>
    public const string Magic = "# collector imported-uidls v1";

    /// <summary>The most UIDLs one seed may hold (a mailbox with more is not a mailbox anyone collects with POP3).</summary>
    public const int MaxUidls = 1_000_000;

    /// <summary>True for a UIDL as RFC 1939 allows it: 1 to 70 characters 0x21 to 0x7E.</summary>
    public static bool IsUidl(string text) => text.Length is >= 1 and <= 70 && text.All(c => c is >= '!' and <= '~');

    /// <summary>The file's text.</summary>
    public string Format()
    {
        var text = new StringBuilder()
            .Append(Magic).Append('\n')
            .Append("# origin: ").Append(OneLine(Origin)).Append('\n')
            .Append("# server: ").Append(OneLine(Server)).Append('\n')
            .Append("# user: ").Append(OneLine(User)).Append('\n');
        foreach (var uidl in Uidls)
        {
            text.Append(uidl).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Reads a seed file's text.</summary>
    /// <param name="text">The file's content.</param>
    /// <param name="where">Names the file in errors.</param>
    /// <exception cref="FormatException">Not a seed, a header missing, or a line that is no UIDL (named by its number).</exception>
    public static UidlSeed Parse(string text, string where)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.TrimStart('\uFEFF').Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        if (lines.Length == 0 || lines[0].TrimEnd() != Magic)
        {
            throw new FormatException($"{where}: not an imported-uidls file (the first line must be '{Magic}'; collector import writes them)");
        }

        var header = new Dictionary<string, string>(StringComparer.Ordinal);
        var uidls = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var colon = line.IndexOf(':', StringComparison.Ordinal);
                if (colon > 1)
                {
                    header.TryAdd(line[1..colon].Trim(), line[(colon + 1)..].Trim());
                }

                continue;
            }

            if (!IsUidl(line))
            {
                throw new FormatException($"{where}: line {i + 1} is not a UIDL (1 to 70 printable characters, no spaces)");
            }

            if (uidls.Count >= MaxUidls)
            {
                throw new FormatException($"{where}: more than {MaxUidls} UIDLs");
            }

            if (seen.Add(line))
            {
                uidls.Add(line);
            }
        }

        string Need(string key) => header.TryGetValue(key, out var value) && value.Length > 0
            ? value
            : throw new FormatException($"{where}: the header line '# {key}: ...' is missing");

        return new UidlSeed(Need("server"), Need("user"), header.GetValueOrDefault("origin", "unknown"), uidls);
    }

    /// <summary>True when the seed was written for this mailbox (server compared case-insensitively, user exactly).</summary>
    public bool IsFor(string server, string user) =>
        string.Equals(Server, server, StringComparison.OrdinalIgnoreCase) && string.Equals(User, user, StringComparison.Ordinal);

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
