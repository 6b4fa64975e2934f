using CollectorCluster.Core.Migration;

namespace CollectorCluster.Node.Import;

/// <summary>What <c>collector import</c> was asked to do.</summary>
/// <param name="Tool">Whose files these are.</param>
/// <param name="Files">The peer's configuration files.</param>
/// <param name="Out">The node file to write; null writes HOCON to standard output (passwords then stay out).</param>
/// <param name="Home">The home directory the peer ran in (<c>~</c>, default state files); <c>$HOME</c> unless given.</param>
public sealed record ImportOptions(PeerTool Tool, IReadOnlyList<string> Files, string? Out, string Home)
{
    /// <summary>getmail's directory of oldmail files (<c>--getmaildir</c>); the rc file's directory when null.</summary>
    public string? GetmailDirectory { get; init; }

    /// <summary>fetchmail's UIDL file (<c>--idfile</c>), overriding <c>set idfile</c> and <c>~/.fetchids</c>.</summary>
    public string? IdFile { get; init; }

    /// <summary>Local domains for multidrop accounts whose file names none (<c>--local-domains a,b</c>).</summary>
    public IReadOnlyList<string> LocalDomains { get; init; } = [];

    /// <summary>The mailbox for accounts whose delivery does not carry over (<c>--mailbox SPEC</c>); null leaves them out (listed).</summary>
    public string? Mailbox { get; init; }

    /// <summary>Write passwords into the HOCON in clear text (<c>--clear-passwords</c>), instead of password files.</summary>
    public bool ClearPasswords { get; init; }

    /// <summary>The usage line.</summary>
    public const string Usage =
        "collector import fetchmailrc|getmailrc|mpoprc FILE... [--out accounts.hocon] [--home DIR] [--idfile FILE] [--getmaildir DIR] [--local-domains a,b] [--mailbox SPEC] [--clear-passwords]";

    /// <summary>Reads the command's arguments (after <c>import</c>).</summary>
    /// <exception cref="ArgumentException">Unknown kind or option, a missing value, no file (the message says which).</exception>
    public static ImportOptions Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Count == 0)
        {
            throw new ArgumentException("collector import: which peer? fetchmailrc, getmailrc or mpoprc");
        }

        var tool = args[0] switch
        {
            "fetchmailrc" or "fetchmail" => PeerTool.Fetchmail,
            "getmailrc" or "getmail" => PeerTool.Getmail,
            "mpoprc" or "mpop" => PeerTool.Mpop,
            _ => throw new ArgumentException($"collector import: '{args[0]}' is not fetchmailrc, getmailrc or mpoprc"),
        };

        var files = new List<string>();
        string? output = null, home = null, getmaildir = null, idfile = null, mailbox = null;
        var domains = new List<string>();
        var clear = false;
        for (var i = 1; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"collector import: {args[i]} needs a value");
            switch (args[i])
            {
                case "--out":
                    output = Value();
                    break;
                case "--home":
                    home = Value();
                    break;
                case "--getmaildir":
                    getmaildir = Value();
                    break;
                case "--idfile":
                    idfile = Value();
                    break;
                case "--local-domains":
                    domains.AddRange(Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d => d.ToLowerInvariant()));
                    break;
                case "--mailbox":
                    mailbox = Value();
                    break;
                case "--clear-passwords":
                    clear = true;
                    break;
                default:
                    if (args[i].StartsWith("--", StringComparison.Ordinal))
                    {
                        throw new ArgumentException($"collector import: unknown option {args[i]}");
                    }

                    files.Add(args[i]);
                    break;
            }
        }

        if (files.Count == 0)
        {
            throw new ArgumentException("collector import: no file given");
        }

        home ??= environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return new ImportOptions(tool, files, output, Path.GetFullPath(home))
        {
            GetmailDirectory = getmaildir is null ? null : Path.GetFullPath(getmaildir),
            IdFile = idfile is null ? null : Path.GetFullPath(idfile),
            LocalDomains = domains,
            Mailbox = mailbox,
            ClearPasswords = clear,
        };
    }
}
