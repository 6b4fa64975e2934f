namespace CollectorCluster.Core.Migration;

/// <summary>
/// Reads the peers' UIDL state files: fetchmail's idfile (<c>user@server uidl</c> per line), getmail's oldmail files
/// (<c>uidl NUL timestamp</c> per line, one file per mailbox) and mpop's uidls file (a header line
/// <c> count host user</c> per mailbox, then its UIDLs). Lines that are not in the format are skipped and counted.
/// </summary>
public static class PeerUidls
{
    /// <summary>The UIDLs the file holds for <paramref name="state"/>'s mailbox, and how many lines were not understood.</summary>
    public static (IReadOnlyList<string> Uidls, int Skipped) Read(PeerUidlState state, string text)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(text);
        return state.Tool switch
        {
            PeerTool.Fetchmail => Fetchids(text, state.Server, state.User),
            PeerTool.Getmail => Oldmail(text),
            PeerTool.Mpop => Mpop(text, state.Server, state.User),
            _ => throw new ArgumentOutOfRangeException(nameof(state)),
        };
    }

    // "user@server uidl"; a user name with spaces is written in quotes by fetchmail, the UIDL is the last word.
    private static (IReadOnlyList<string>, int) Fetchids(string text, string server, string user)
    {
        var uidls = new List<string>();
        var skipped = 0;
        foreach (var line in Lines(text))
        {
            var space = line.LastIndexOf(' ');
            var at = space < 0 ? -1 : line.LastIndexOf('@', space);
            if (space <= 0 || at <= 0)
            {
                skipped++;
                continue;
            }

            var who = line[..at].Trim('"');
            var where = line[(at + 1)..space];
            var uidl = line[(space + 1)..];
            if (!UidlSeed.IsUidl(uidl))
            {
                skipped++;
                continue;
            }

            if (who == user && string.Equals(where, server, StringComparison.OrdinalIgnoreCase))
            {
                uidls.Add(uidl);
            }
        }

        return (uidls.Distinct(StringComparer.Ordinal).ToList(), skipped);
    }

    private static (IReadOnlyList<string>, int) Oldmail(string text)
    {
        var uidls = new List<string>();
        var skipped = 0;
        foreach (var line in Lines(text))
        {
            var nul = line.IndexOf('\0', StringComparison.Ordinal);
            var uidl = nul < 0 ? "" : line[..nul];
            if (!UidlSeed.IsUidl(uidl))
            {
                skipped++;
                continue;
            }

            uidls.Add(uidl);
        }

        return (uidls.Distinct(StringComparer.Ordinal).ToList(), skipped);
    }

    private static (IReadOnlyList<string>, int) Mpop(string text, string host, string user)
    {
        var uidls = new List<string>();
        var skipped = 0;
        var mine = false;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            if (raw.Length == 0 || raw[0] == '#')
            {
                continue;
            }

            if (raw[0] == ' ')
            {
                // " number-of-uids hostname user" (the user may contain spaces: the rest of the line)
                var parts = raw.Trim().Split(' ', 3);
                mine = parts.Length == 3 && string.Equals(parts[1], host, StringComparison.OrdinalIgnoreCase) && parts[2] == user;
                continue;
            }

            var uidl = raw.TrimEnd('\r');
            if (!UidlSeed.IsUidl(uidl))
            {
                skipped++;
            }
            else if (mine)
            {
                uidls.Add(uidl);
            }
        }

        return (uidls.Distinct(StringComparer.Ordinal).ToList(), skipped);
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Where(l => l.Length > 0);
}
