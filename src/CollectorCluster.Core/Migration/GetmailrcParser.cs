using System.Globalization;
using System.Text.RegularExpressions;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Core.Migration;

/// <summary>
/// Reads a getmail6 rc file (one mailbox per file; getmail's "configuration.html"): <c>[retriever]</c> (the POP3
/// retriever types, multidrop ones included), <c>[destination]</c> (Maildir, MDA_external, MDA_lmtp, and MultiSorter
/// for a multidrop mailbox, whose destinations may be further sections) and <c>[options]</c>. IMAP retrievers and
/// mbox destinations do not carry over; every such key is noted with its line.
/// </summary>
public static partial class GetmailrcParser
{
    private const int Pop3Port = 110;
    private const int Pop3sPort = 995;

    /// <summary>Reads the file's text; <paramref name="getmailDirectory"/> is where getmail kept its oldmail files (its <c>--getmaildir</c>).</summary>
    public static PeerConfig Parse(string text, ImportContext context, string getmailDirectory)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (sections, sectionLines, unread) = ReadIni(text);
        var fileNotes = unread.Select(u => new ImportNote($"{context.File}:{u.Line}", u.What)).ToList();
        var rc = new RcFile(context, sections, sectionLines);
        if (!sections.TryGetValue("retriever", out var retriever))
        {
            fileNotes.Add(new ImportNote(context.File, "no [retriever] section: nothing to import"));
            return new PeerConfig(PeerTool.Getmail, [], fileNotes);
        }

        var type = Get(retriever, "type")?.Value ?? "";
        var multidrop = type is "MultidropPOP3Retriever" or "MultidropPOP3SSLRetriever";
        var ssl = type is "SimplePOP3SSLRetriever" or "BrokenUIDLPOP3SSLRetriever" or "MultidropPOP3SSLRetriever" ? TlsMode.Implicit : TlsMode.None;
        if (type is not ("SimplePOP3Retriever" or "SimplePOP3SSLRetriever" or "BrokenUIDLPOP3Retriever" or "BrokenUIDLPOP3SSLRetriever") && !multidrop)
        {
            fileNotes.Add(new ImportNote($"{context.File}:{Get(retriever, "type")?.Line ?? 0}", $"retriever type '{type}' is not a POP3 retriever the collector can replace (IMAP and SDPS are not POP3); nothing imported"));
            return new PeerConfig(PeerTool.Getmail, [], fileNotes);
        }

        var server = Get(retriever, "server")?.Value;
        var user = Get(retriever, "username")?.Value;
        if (string.IsNullOrWhiteSpace(server) || string.IsNullOrWhiteSpace(user))
        {
            fileNotes.Add(new ImportNote(rc.AtSection("retriever"), "[retriever] has no server or username (use_netrc is not read): nothing imported"));
            return new PeerConfig(PeerTool.Getmail, [], fileNotes);
        }

        var notes = new List<ImportNote>();
        var keys = ReadRetrieverKeys(retriever, rc, notes);
        NoteRetrieverGaps(type, ssl, keys, rc, notes);
        var options = ReadOptions(rc, notes);
        var (mailbox, routing) = ReadDestination(type, multidrop, keys.Envelope, user, rc, notes);
        NoteUnreadSections(rc, notes);
        var effectivePort = keys.Port ?? (ssl == TlsMode.Implicit ? Pop3sPort : Pop3Port);
        var account = new PeerAccount
        {
            Name = AccountName(context.File, user, server),
            Origin = rc.AtSection("retriever"),
            Server = server,
            Port = keys.Port,
            User = user,
            Password = keys.Password,
            Ssl = ssl,
            CertificateSha256 = keys.Pin,
            Auth = keys.Auth,
            LeaveMailOnServer = options.Leave,
            DeleteAfterDays = options.DeleteAfter,
            MaxMessageSize = options.MaxSize,
            CommandTimeout = keys.Timeout,
            Mailbox = mailbox,
            Multidrop = routing,
            UidlState = new PeerUidlState(PeerTool.Getmail, Path.Combine(getmailDirectory, OldmailFileName(server, effectivePort, user)), server, user),
            Notes = notes,
        };
        return new PeerConfig(PeerTool.Getmail, [account], fileNotes);
    }

    // The [retriever] keys besides type, server and username; a key that does not carry over is noted at its line.
    private static RetrieverKeys ReadRetrieverKeys(Dictionary<string, Entry> retriever, RcFile rc, List<ImportNote> notes)
    {
        void Note(Entry e, string what) => notes.Add(new ImportNote(rc.At(e), what));
        int? port = null;
        string? envelope = null;
        AuthMethod? auth = null;
        TimeSpan? timeout = null;
        string? pin = null;
        var password = PeerPassword.None;
        var caCerts = false;
        foreach (var entry in retriever.Values)
        {
            switch (entry.Key)
            {
                case "type" or "server" or "username":
                    break;
                case "port":
                    port = int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535 ? p : null;
                    if (port is null)
                    {
                        Note(entry, $"port '{entry.Value}' is not a port number: the default is used");
                    }

                    break;
                case "password":
                    password = new PeerPassword(new Secret(entry.Value), password.Command);
                    break;
                case "password_command":
                    password = PythonLiteral.Strings(entry.Value) is { Count: > 0 } command
                        ? new PeerPassword(password.Clear, string.Join(' ', command.Select(Quote)))
                        : password;
                    break;
                case "use_apop":
                    auth = Bool(entry.Value) == true ? AuthMethod.Apop : auth;
                    break;
                case "timeout":
                    timeout = int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0 ? TimeSpan.FromSeconds(t) : null;
                    break;
                case "envelope_recipient":
                    var colon = entry.Value.LastIndexOf(':');
                    envelope = colon > 0 ? entry.Value[..colon].Trim() : entry.Value.Trim();
                    if (colon > 0 && entry.Value[(colon + 1)..].Trim() != "1")
                    {
                        Note(entry, $"envelope_recipient's position ({entry.Value[(colon + 1)..].Trim()}) does not carry over: every {envelope} header naming a local address counts");
                    }

                    break;
                case "ca_certs":
                    caCerts = true;
                    Note(entry, "ca_certs does not carry over: certificates are checked against the system trust store (or pin one with certificate-sha256)");
                    break;
                case "ssl_fingerprints":
                    var prints = PythonLiteral.Strings(entry.Value) ?? [];
                    pin = prints.Select(NormalizeFingerprint).FirstOrDefault(f => f is not null);
                    if (prints.Count != 1 || pin is null)
                    {
                        Note(entry, pin is null ? "ssl_fingerprints holds no SHA-256 fingerprint: not carried over" : "ssl_fingerprints lists several: only the first carries over (certificate-sha256)");
                    }

                    break;
                default:
                    Note(entry, $"{entry.Key} does not carry over");
                    break;
            }
        }

        return new RetrieverKeys(port, envelope, auth, timeout, pin, password, caCerts);
    }

    // What getmail did for this retriever that the collector does differently: certificates, passwords, UIDLs.
    private static void NoteRetrieverGaps(string type, TlsMode ssl, RetrieverKeys keys, RcFile rc, List<ImportNote> notes)
    {
        if (ssl == TlsMode.Implicit && !keys.CaCerts)
        {
            notes.Add(new ImportNote(rc.AtSection("retriever", "type"), "getmail did not verify the server's certificate (no ca_certs); the collector does (verify-certificate = on): set verify-certificate = off only on purpose"));
        }

        if (keys.Password == PeerPassword.None)
        {
            notes.Add(new ImportNote(rc.AtSection("retriever"), "no password or password_command (getmail asked for it, read a key ring or ~/.netrc): give the account a password-file or password-env"));
        }

        if (type.StartsWith("BrokenUIDL", StringComparison.Ordinal))
        {
            notes.Add(new ImportNote(rc.AtSection("retriever", "type"), $"{type}: the server's UIDLs are unreliable; the collector relies on them (it keys messages without a UIDL by content)"));
        }
    }

    // The [options] section (absent: getmail's defaults), with getmail's rules between delete and delete_after.
    private static (bool Leave, int? DeleteAfter, long? MaxSize) ReadOptions(RcFile rc, List<ImportNote> notes)
    {
        void Note(Entry e, string what) => notes.Add(new ImportNote(rc.At(e), what));
        var options = rc.Sections.GetValueOrDefault("options") ?? [];
        var leave = true;
        int? deleteAfter = null;
        long? maxSize = null;
        var readAll = true;
        foreach (var entry in options.Values)
        {
            switch (entry.Key)
            {
                case "delete":
                    leave = Bool(entry.Value) != true;
                    break;
                case "delete_after":
                    deleteAfter = int.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days > 0 ? days : null;
                    break;
                case "max_message_size":
                    maxSize = long.TryParse(entry.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size > 0 ? size : null;
                    break;
                case "read_all":
                    readAll = Bool(entry.Value) != false;
                    break;
                case "delivered_to" or "received":
                    break; // noted below, once for both
                case "verbose" or "message_log" or "message_log_verbose" or "message_log_syslog":
                    Note(entry, $"{entry.Key} does not carry over: the collector logs one line per session to standard error and journals every message");
                    break;
                case "to_oldmail_on_each_mail":
                    Note(entry, "to_oldmail_on_each_mail needs no setting: the collector records each message as it is delivered");
                    break;
                default:
                    Note(entry, $"{entry.Key} does not carry over");
                    break;
            }
        }

        if (!leave && deleteAfter is not null)
        {
            deleteAfter = null; // getmail: delete wins over delete_after
        }

        if (deleteAfter is not null)
        {
            leave = true;
        }

        NoteOptionGaps(options, readAll, leave, rc, notes);
        return (leave, deleteAfter, maxSize);
    }

    // read_all and the header fields getmail added: behaviours the collector does not have.
    private static void NoteOptionGaps(Dictionary<string, Entry> options, bool readAll, bool leave, RcFile rc, List<ImportNote> notes)
    {
        if (readAll && leave)
        {
            notes.Add(new ImportNote(rc.Sections.ContainsKey("options") ? rc.AtSection("options", "read_all") : rc.AtSection("retriever"), "read_all (getmail's default: retrieve every message each run, seen or not) does not carry over: the collector collects each message once"));
        }

        if (Bool(Get(options, "delivered_to")?.Value) != false || Bool(Get(options, "received")?.Value) != false)
        {
            notes.Add(new ImportNote(rc.Sections.ContainsKey("options") ? rc.AtSection("options", Get(options, "delivered_to") is null ? "received" : "delivered_to") : rc.AtSection("retriever"), "getmail added Delivered-To: and Received: header fields to each message; the collector delivers messages unchanged"));
        }
    }

    // The [destination] section: one mailbox, or a MultiSorter's routing for a multidrop mailbox.
    private static (string? Mailbox, MultidropSettings? Routing) ReadDestination(
        string type, bool multidrop, string? envelope, string user, RcFile rc, List<ImportNote> notes)
    {
        var destination = rc.Sections.GetValueOrDefault("destination");
        if (destination is null)
        {
            notes.Add(new ImportNote(rc.AtSection("retriever"), "no [destination] section: the account has no mailbox"));
            return (null, null);
        }

        if (Get(destination, "type")?.Value == "MultiSorter")
        {
            var routing = MultiSorter(destination, rc.Sections, envelope, rc.Context, notes, user);
            if (!multidrop)
            {
                notes.Add(new ImportNote(rc.AtSection("destination", "type"), $"MultiSorter after the non-multidrop retriever {type}: imported as a multidrop account (the envelope headers are looked for anyway)"));
            }

            return (null, routing);
        }

        var (spec, problem) = Destination(destination, rc.Sections, rc.Context, notes, user);
        if (problem is not null)
        {
            notes.Add(new ImportNote(rc.AtSection("destination", "type"), problem));
        }

        if (multidrop)
        {
            notes.Add(new ImportNote(rc.AtSection("destination"), $"{type} delivering to one destination: imported as an ordinary account (every message to {spec ?? "its mailbox"})"));
        }

        return (spec, null);
    }

    private static void NoteUnreadSections(RcFile rc, List<ImportNote> notes)
    {
        foreach (var name in Unread(rc.Sections))
        {
            notes.Add(new ImportNote(rc.AtSection(name), name.StartsWith("filter", StringComparison.Ordinal)
                ? $"[{name}] (a filter) does not carry over: the collector delivers every message unchanged; filter at the destination (Sieve, procmail)"
                : $"[{name}] does not carry over: the import reads [retriever], [destination], [options] and the sections a MultiSorter names"));
        }
    }

    /// <summary>getmail's oldmail file name for a POP3 mailbox: <c>oldmail-server-port-user</c>, with <c>/ : ; &lt; &gt; |</c> runs made <c>-</c>.</summary>
    public static string OldmailFileName(string server, int port, string user) =>
        StripCharacters().Replace($"oldmail-{server}-{port.ToString(CultureInfo.InvariantCulture)}-{user}", "-");

    [GeneratedRegex(@"[/:;<>|]+")]
    private static partial Regex StripCharacters();

    [GeneratedRegex(@"^\^?(?<local>[A-Za-z0-9_+\-]+(\\?\.[A-Za-z0-9_+\-]+)*)@(?<domain>[A-Za-z0-9\-]+(\\?\.[A-Za-z0-9\-]+)*)?\$?$")]
    private static partial Regex SimpleAddressPattern();

    private static string AccountName(string file, string user, string server)
    {
        var name = Path.GetFileName(file);
        var rest = name.StartsWith("getmailrc", StringComparison.Ordinal) ? name["getmailrc".Length..].TrimStart('-', '.', '_') : name;
        return rest.Length > 0 ? rest : $"{user}-{server}";
    }

    private static string Quote(string word) => word.Any(char.IsWhiteSpace) ? $"\"{word}\"" : word;

    private static string? NormalizeFingerprint(string text)
    {
        var hex = text.Trim();
        if (hex.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex[7..];
        }

        hex = hex.Replace(":", "", StringComparison.Ordinal);
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigit) ? hex.ToLowerInvariant() : null;
    }

    private static bool? Bool(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        "1" or "yes" or "true" or "on" => true,
        "0" or "no" or "false" or "off" => false,
        _ => null,
    };

    private static Entry? Get(Dictionary<string, Entry> section, string key) => section.GetValueOrDefault(key);

    // A destination section (or a reference '[name]' to one, or a MultiSorter shortcut: a path ending in '/' is a Maildir).
    private static (string? Spec, string? Problem) Destination(
        Dictionary<string, Entry> section, Dictionary<string, Dictionary<string, Entry>> sections, ImportContext context, List<ImportNote> notes, string user)
    {
        var type = Get(section, "type")?.Value ?? "";
        foreach (var entry in section.Values.Where(e => e.Key is "user" or "group" or "allow_root_commands" or "ignore_stderr" or "unixfrom" or "fallback"))
        {
            notes.Add(new ImportNote($"{context.File}:{entry.Line}", $"{entry.Key} does not carry over (the collector delivers as the user it runs as)"));
        }

        switch (type)
        {
            case "Maildir":
                var path = Get(section, "path")?.Value;
                if (path is null)
                {
                    return (null, "Maildir destination without a path");
                }

                if (path.StartsWith('~') && !path.StartsWith("~/", StringComparison.Ordinal))
                {
                    return (null, $"Maildir path '{path}' names another user's home (~user): give the absolute path");
                }

                return (PeerDelivery.Maildir(context.Expand(path)), null);
            case "MDA_external":
                var program = Get(section, "path")?.Value;
                if (program is null)
                {
                    return (null, "MDA_external without a path");
                }

                var arguments = Get(section, "arguments") is { } args ? PythonLiteral.Strings(args.Value) ?? [] : [];
                var command = string.Join(' ', new[] { program }.Concat(arguments).Select(Quote));
                return PeerDelivery.Mda(command, new Dictionary<string, string> { ["%(local)"] = user }, ["%(sender)", "%(recipient)", "%(domain)", "%(mailbox)"]);
            case "MDA_lmtp":
                var host = Get(section, "host")?.Value;
                if (host is null)
                {
                    return (null, "MDA_lmtp without a host");
                }

                var lmtpPort = int.TryParse(Get(section, "port")?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var lp) ? lp : 24;
                var recipient = Get(section, "override")?.Value ?? user;
                if (!recipient.Contains('@', StringComparison.Ordinal))
                {
                    recipient += "@localhost";
                }

                return (PeerDelivery.Relay(lmtp: true, host, lmtpPort, recipient), Get(section, "override") is null ? $"MDA_lmtp without override: delivered to {recipient}" : null);
            default:
                return (null, $"destination type '{type}' does not carry over (the collector delivers to maildir:, lmtp:, smtp: or mda:): give the account a mailbox");
        }
    }

    // A reference as MultiSorter writes it: '[section]', or a path (ending in '/': a Maildir).
    private static (string? Spec, string? Problem) Reference(
        string reference, Dictionary<string, Dictionary<string, Entry>> sections, ImportContext context, List<ImportNote> notes, string user)
    {
        if (reference.StartsWith('[') && reference.EndsWith(']'))
        {
            var name = reference[1..^1];
            return sections.TryGetValue(name, out var section)
                ? Destination(section, sections, context, notes, user)
                : (null, $"destination {reference} has no section");
        }

        return reference.EndsWith('/')
            ? (PeerDelivery.Maildir(context.Expand(reference)), null)
            : (null, $"destination '{reference}' (an mbox file) does not carry over");
    }

    private static MultidropSettings MultiSorter(
        Dictionary<string, Entry> section, Dictionary<string, Dictionary<string, Entry>> sections, string? envelope, ImportContext context, List<ImportNote> notes, string login)
    {
        var domains = new List<string>();
        var destinations = new Dictionary<string, string>(StringComparer.Ordinal);
        var line = Get(section, "locals")?.Line ?? Get(section, "type")?.Line ?? 0;
        var where = $"{context.File}:{line}";
        foreach (var (pattern, reference) in Get(section, "locals") is { } locals ? PythonLiteral.Pairs(locals.Value) ?? [] : [])
        {
            var match = SimpleAddressPattern().Match(pattern);
            if (!match.Success)
            {
                notes.Add(new ImportNote(where, $"locals pattern '{pattern}' is not a plain address (user@ or user@domain): not carried over; add the user to multidrop.destinations"));
                continue;
            }

            var local = match.Groups["local"].Value.Replace("\\", "", StringComparison.Ordinal).ToLowerInvariant();
            if (match.Groups["domain"].Success && match.Groups["domain"].Value.Length > 0)
            {
                domains.Add(match.Groups["domain"].Value.Replace("\\", "", StringComparison.Ordinal).ToLowerInvariant());
            }

            var (spec, problem) = Reference(reference, sections, context, notes, local);
            if (spec is null)
            {
                notes.Add(new ImportNote(where, $"user {local}: {problem}"));
                continue;
            }

            if (destinations.TryGetValue(local, out var existing) && existing != spec)
            {
                notes.Add(new ImportNote(where, $"user {local} matches several patterns: only the first destination carries over"));
                continue;
            }

            destinations[local] = spec;
        }

        string? fallback = null;
        if (Get(section, "default") is { } defaultEntry)
        {
            var (spec, problem) = Reference(defaultEntry.Value, sections, context, notes, login);
            if (spec is null)
            {
                notes.Add(new ImportNote($"{context.File}:{defaultEntry.Line}", $"default: {problem}"));
            }
            else
            {
                fallback = destinations.FirstOrDefault(d => d.Value == spec).Key ?? "postmaster";
                destinations.TryAdd(fallback, spec);
            }
        }

        if (domains.Count == 0)
        {
            notes.Add(new ImportNote(where, "no domain in the locals patterns: the collector needs multidrop.local-domains (give --local-domains)"));
        }

        return new MultidropSettings
        {
            LocalDomains = domains.Distinct().ToList(),
            EnvelopeHeaders = envelope is null ? MultidropSettings.DefaultEnvelopeHeaders : [envelope],
            Default = fallback,
            Destinations = destinations,
        };
    }

    // Python's RawConfigParser, as getmail reads rc files: [sections], key = value or key: value, indented continuation
    // lines, # and ; comments on their own lines; keys lower case.
    // Sections nothing reads: not one of getmail's three, nor named ('[name]') by the destination or a section it names.
    private static IEnumerable<string> Unread(Dictionary<string, Dictionary<string, Entry>> sections)
    {
        var read = new HashSet<string>(["retriever", "destination", "options"], StringComparer.Ordinal);
        var pending = new Queue<string>(["destination"]);
        while (pending.TryDequeue(out var name))
        {
            foreach (var entry in sections.GetValueOrDefault(name)?.Values ?? Enumerable.Empty<Entry>())
            {
                foreach (Match reference in SectionReference().Matches(entry.Value))
                {
                    if (read.Add(reference.Groups[1].Value))
                    {
                        pending.Enqueue(reference.Groups[1].Value);
                    }
                }
            }
        }

        return sections.Keys.Where(name => !read.Contains(name));
    }

    [GeneratedRegex(@"\[([^\[\]]+)\]")]
    private static partial Regex SectionReference();

    // The sections, the line of each section's header, and the lines that are neither (noted by line, never repeated:
    // a misplaced line may hold a password).
    private static (Dictionary<string, Dictionary<string, Entry>> Sections, Dictionary<string, int> SectionLines, List<(int Line, string What)> Unread) ReadIni(string text)
    {
        var sections = new Dictionary<string, Dictionary<string, Entry>>(StringComparer.Ordinal);
        var sectionLines = new Dictionary<string, int>(StringComparer.Ordinal);
        var unread = new List<(int Line, string What)>();
        Dictionary<string, Entry>? current = null;
        Entry? last = null;
        var number = 0;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            number++;
            var trimmed = raw.Trim();
            if (trimmed.Length == 0 || trimmed[0] is '#' or ';')
            {
                last = trimmed.Length == 0 ? null : last;
                continue;
            }

            if (char.IsWhiteSpace(raw[0]) && last is not null && current is not null)
            {
                last = last with { Value = (last.Value + "\n" + trimmed).Trim() };
                current[last.Key] = last;
                continue;
            }

            if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
            {
                var name = trimmed[1..^1].Trim();
                current = sections.TryGetValue(name, out var existing) ? existing : sections[name] = new Dictionary<string, Entry>(StringComparer.Ordinal);
                sectionLines.TryAdd(name, number);
                last = null;
                continue;
            }

            var separator = trimmed.IndexOfAny(['=', ':']);
            if (separator <= 0 || current is null)
            {
                unread.Add((number, current is null
                    ? "a line before any [section] is not understood (not repeated: it may hold a secret)"
                    : "a line that is neither [section] nor key = value is not understood (not repeated: it may hold a secret)"));
                last = null;
                continue;
            }

            last = new Entry(trimmed[..separator].Trim().ToLowerInvariant(), trimmed[(separator + 1)..].Trim(), number);
            current[last.Key] = last;
        }

        return (sections, sectionLines, unread);
    }

    private sealed record Entry(string Key, string Value, int Line);

    private sealed record RetrieverKeys(int? Port, string? Envelope, AuthMethod? Auth, TimeSpan? Timeout, string? Pin, PeerPassword Password, bool CaCerts);

    // The parsed file and where its notes point: a key's line, or (for something absent) its section's header line.
    private sealed record RcFile(ImportContext Context, Dictionary<string, Dictionary<string, Entry>> Sections, Dictionary<string, int> SectionLines)
    {
        public string At(Entry e) => $"{Context.File}:{e.Line}";

        public string AtSection(string name, string? key = null) =>
            key is not null && Sections.GetValueOrDefault(name)?.GetValueOrDefault(key) is { } entry ? At(entry) : $"{Context.File}:{SectionLines.GetValueOrDefault(name, 1)}";
    }
}
