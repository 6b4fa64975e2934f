using System.Globalization;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Commands;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Core.Migration;

/// <summary>
/// Reads a <c>.fetchmailrc</c> (fetchmail's manual, "THE RUN CONTROL FILE"): <c>set</c> statements, a <c>defaults</c>
/// entry, <c>poll</c>/<c>skip</c> entries with their server options and any number of <c>user</c> descriptions each (one
/// account per user), <c>is ... here</c> name lists with <c>'remote'='local'</c> mappings, and multidrop entries
/// (several local names or <c>localdomains</c>) as multidrop accounts. Every keyword that does not carry over is noted
/// with its line.
/// </summary>
public static class FetchmailrcParser
{
    private static readonly HashSet<string> Noise = new(StringComparer.OrdinalIgnoreCase) { "and", "with", "has", "wants", "options", "here", "there" };

    private static readonly HashSet<string> EntryStarts = new(StringComparer.OrdinalIgnoreCase) { "poll", "skip", "server", "defaults", "set" };

    private static readonly HashSet<string> ServerKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "via", "proto", "protocol", "local", "localdomains", "port", "service", "auth", "authenticate", "timeout", "envelope", "qvirtual", "aka",
        "interface", "monitor", "plugin", "plugout", "dns", "checkalias", "uidl", "interval", "tracepolls", "principal", "esmtpname",
        "esmtppassword", "bad-header",
    };

    private static readonly HashSet<string> UserKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "user", "username", "is", "to", "pass", "password", "ssl", "sslcert", "sslcertck", "sslcertfile", "sslcertpath", "sslfingerprint",
        "sslkey", "sslproto", "sslcommonname", "folder", "smtp", "smtphost", "fetchdomains", "smtpaddress", "smtpname", "antispam", "mda", "bsmtp", "lmtp",
        "preconnect", "postconnect", "keep", "flush", "limitflush", "fetchall", "rewrite", "stripcr", "forcecr", "pass8bits", "dropstatus",
        "dropdelivered", "mimedecode", "idle", "limit", "warnings", "batchlimit", "fetchlimit", "fetchsizelimit", "fastuidl", "expunge",
        "properties", "no",
    };

    private static readonly HashSet<string> ListKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "local", "localdomains", "aka", "folder", "smtp", "smtphost", "fetchdomains", "antispam", "interface",
    };

    // Keywords of the neighbouring tools, often copied into a .fetchmailrc by mistake: named with whose they are.
    private static readonly Dictionary<string, string> OtherToolsKeywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["passwordeval"] = "mpop's and msmtp's keyword (fetchmail has none for a password command)",
        ["password_command"] = "getmail's keyword (fetchmail has none for a password command)",
        ["passwordfile"] = "no fetchmail keyword (fetchmail reads passwords from the file itself or ~/.netrc)",
        ["host"] = "mpop's keyword (fetchmail names the server after poll)",
        ["tls"] = "mpop's keyword (fetchmail's is ssl)",
    };

    private static readonly HashSet<string> Flags = new(StringComparer.OrdinalIgnoreCase)
    {
        "ssl", "sslcertck", "keep", "flush", "limitflush", "fetchall", "rewrite", "stripcr", "forcecr", "pass8bits", "dropstatus", "dropdelivered",
        "mimedecode", "idle", "lmtp", "dns", "checkalias", "uidl", "tracepolls", "envelope",
    };

    // Options that only change how fetchmail itself behaves, with nothing to carry over; noted, never silently dropped.
    private static readonly Dictionary<string, string> NotCarried = new(StringComparer.OrdinalIgnoreCase)
    {
        ["rewrite"] = "header rewriting (rewrite) does not carry over: the collector delivers messages unchanged",
        ["stripcr"] = "stripcr does not carry over: the collector delivers messages unchanged",
        ["forcecr"] = "forcecr does not carry over: the collector delivers messages unchanged",
        ["pass8bits"] = "pass8bits does not carry over: the collector declares BODY=8BITMIME whenever the server offers it",
        ["dropstatus"] = "dropstatus does not carry over: the collector delivers messages unchanged",
        ["dropdelivered"] = "dropdelivered does not carry over: the collector delivers messages unchanged",
        ["mimedecode"] = "mimedecode does not carry over: the collector delivers messages unchanged",
        ["idle"] = "idle is IMAP only",
        ["flush"] = "flush (delete old messages before each poll) does not carry over: use leave-mail-on-server with delete-after-days",
        ["limitflush"] = "limitflush (delete oversized messages) does not carry over: oversized messages are skipped and reported",
        ["fetchall"] = "fetchall (fetch every message, seen or not, each time) does not carry over: the collector fetches each message once; collector reset fetches again",
        ["dns"] = "dns does not carry over: multidrop matches local-domains only",
        ["checkalias"] = "checkalias does not carry over: multidrop matches local-domains only",
        ["tracepolls"] = "tracepolls does not carry over: the collector adds no Received header",
        ["uidl"] = "uidl needs no setting: the collector always keeps UIDLs",
        ["envelope"] = "envelope does not carry over",
        ["lmtp"] = "lmtp does not carry over",
        ["keep"] = "keep does not carry over",
        ["ssl"] = "ssl does not carry over",
        ["sslcertck"] = "sslcertck does not carry over",
    };

    /// <summary>Reads the file's text.</summary>
    /// <exception cref="FormatException">The text cannot be tokenized (an unterminated string, naming its line).</exception>
    public static PeerConfig Parse(string text, ImportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tokens = FetchmailTokenizer.Tokenize(text);
        var notes = new List<ImportNote>();
        var globals = new Globals();
        Entry? defaults = null;
        var entries = new List<Entry>();
        var i = 0;
        while (i < tokens.Count)
        {
            var token = tokens[i];
            if (token.Is("set"))
            {
                i = ParseSet(tokens, i + 1, globals, notes, context);
            }
            else if (token.Is("defaults"))
            {
                defaults = new Entry("defaults", false, token.Line);
                i = ParseEntry(tokens, i + 1, defaults);
            }
            else if (token.Is("poll") || token.Is("skip") || token.Is("server"))
            {
                if (i + 1 >= tokens.Count)
                {
                    notes.Add(new ImportNote(Where(context, token.Line), $"'{token.Text}' without a server name"));
                    break;
                }

                var entry = new Entry(tokens[i + 1].Text, token.Is("skip"), token.Line);
                entries.Add(entry);
                i = ParseEntry(tokens, i + 2, entry);
            }
            else
            {
                notes.Add(new ImportNote(Where(context, token.Line), $"{Unexpected(token)} outside any poll entry is not understood"));
                i++;
            }
        }

        var accounts = new List<PeerAccount>();
        foreach (var entry in entries)
        {
            var users = entry.Users.Count > 0 ? entry.Users : defaults?.Users.Count > 0 ? [new UserOptions(entry.Line)] : [];
            if (users.Count == 0)
            {
                notes.Add(new ImportNote(Where(context, entry.Line) + $" (poll {entry.Name})", "no user description: fetchmail would poll as the user running it, which an import cannot know; add the account by hand"));
                continue;
            }

            foreach (var user in users)
            {
                if (Build(entry, defaults, user, globals, context, notes) is { } account)
                {
                    accounts.Add(account);
                }
            }
        }

        return new PeerConfig(PeerTool.Fetchmail, accounts, notes);
    }

    private static string Where(ImportContext context, int line) => $"{context.File}:{line}";

    private static int ParseSet(IReadOnlyList<RcToken> tokens, int i, Globals globals, List<ImportNote> notes, ImportContext context)
    {
        if (i >= tokens.Count)
        {
            return i;
        }

        var line = tokens[i].Line;
        var negated = tokens[i].Is("no");
        if (negated)
        {
            i++;
        }

        if (i >= tokens.Count)
        {
            return i;
        }

        var name = tokens[i].Text.ToLowerInvariant();
        string? Next() => i + 1 < tokens.Count ? tokens[++i].Text : null;
        switch (name)
        {
            case "daemon":
                if (int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0)
                {
                    globals.Daemon = TimeSpan.FromSeconds(seconds);
                }

                break;
            case "postmaster":
                globals.Postmaster = Next();
                break;
            case "idfile":
                globals.IdFile = Next() is { } path ? context.Expand(path) : null;
                break;
            case "bouncemail":
                globals.BounceMail = !negated;
                break;
            case "logfile" or "pidfile" or "properties":
                Next();
                notes.Add(new ImportNote(Where(context, line), $"set {name} does not carry over (the collector logs to standard error and keeps its state in its journal)"));
                break;
            case "syslog" or "spambounce" or "softbounce" or "invisible" or "showdots":
                notes.Add(new ImportNote(Where(context, line), $"set {(negated ? "no " : "")}{name} does not carry over"));
                break;
            default:
                notes.Add(new ImportNote(Where(context, line), tokens[i].Quoted ? $"set: {Unexpected(tokens[i])} is not understood" : $"set {name} is not understood"));
                break;
        }

        return i + 1;
    }

    private static int ParseEntry(IReadOnlyList<RcToken> tokens, int i, Entry entry)
    {
        UserOptions? user = null;
        while (i < tokens.Count && !(EntryStarts.Contains(tokens[i].Text) && !tokens[i].Quoted))
        {
            var token = tokens[i];
            if (token.Quoted || token.Text == "=")
            {
                entry.Notes.Add((token.Line, $"{Unexpected(token)} is not understood here"));
                i++;
                continue;
            }

            if (Noise.Contains(token.Text))
            {
                i++;
                continue;
            }

            if (token.Is("user") || token.Is("username"))
            {
                i = ParseUser(tokens, i, entry, out user);
                continue;
            }

            var options = user ?? entry.EntryUser;
            if (token.Is("is") || token.Is("to"))
            {
                i = ParseNames(tokens, i + 1, options);
                continue;
            }

            var negated = token.Is("no");
            if (negated)
            {
                i++;
                if (i >= tokens.Count)
                {
                    break;
                }

                token = tokens[i];
            }
            else if (!token.Quoted && NegatedFlag(token.Text) is { } flag)
            {
                negated = true; // the manual's one-word forms: nokeep, nofetchall, norewrite...
                token = token with { Text = flag };
            }

            var keyword = token.Text.ToLowerInvariant();
            if (!ServerKeywords.Contains(keyword) && !UserKeywords.Contains(keyword))
            {
                i = SkipUnknown(tokens, i, token, entry);
                continue;
            }

            if (negated || Flags.Contains(keyword) && !(keyword == "envelope" && !negated))
            {
                Flag(entry, options, keyword, !negated, token.Line);
                i++;
                continue;
            }

            i++;
            if (keyword == "envelope")
            {
                i = ParseEnvelope(tokens, i, entry);
                continue;
            }

            if (ListKeywords.Contains(keyword))
            {
                i = ParseList(tokens, i, entry, options, keyword, token.Line);
                continue;
            }

            var argument = i < tokens.Count ? tokens[i].Text : "";
            var quoted = i < tokens.Count && tokens[i].Quoted;
            i++;
            Value(entry, options, keyword, [argument], token.Line, quoted);
        }

        return i;
    }

    // 'user name [here]' opens a user within the entry: the name is local when 'here' follows, else remote.
    private static int ParseUser(IReadOnlyList<RcToken> tokens, int i, Entry entry, out UserOptions user)
    {
        user = new UserOptions(tokens[i].Line);
        entry.Users.Add(user);
        i++;
        if (i < tokens.Count)
        {
            var name = tokens[i].Text;
            i++;
            if (i < tokens.Count && tokens[i].Is("here"))
            {
                user.LocalFirst = name; // 'user esr here is eric there': esr is local
                i++;
            }
            else
            {
                user.Remote = name;
            }
        }

        return i;
    }

    // What follows an unknown keyword is taken as its arguments, skipped unread: one may be a password.
    private static int SkipUnknown(IReadOnlyList<RcToken> tokens, int i, RcToken token, Entry entry)
    {
        var skipped = 0;
        for (i++; i < tokens.Count && (tokens[i].Quoted || (tokens[i].Text != "=" && !IsKeyword(tokens[i].Text))); i++)
        {
            skipped++;
        }

        entry.Notes.Add((token.Line, Unexpected(token) + (skipped > 0 ? $"; the {skipped} word(s) after it are skipped (not repeated: they may hold a secret)" : "")));
        return i;
    }

    // 'envelope [count] header', from just past the keyword.
    private static int ParseEnvelope(IReadOnlyList<RcToken> tokens, int i, Entry entry)
    {
        var skip = 0;
        if (i < tokens.Count && !tokens[i].Quoted && int.TryParse(tokens[i].Text, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            skip = count;
            i++;
        }

        entry.Envelope = i < tokens.Count ? tokens[i++].Text.TrimEnd(':') : null;
        entry.EnvelopeSkip = skip;
        return i;
    }

    // A keyword taking a list, from just past it: the words up to the next keyword or '='.
    private static int ParseList(IReadOnlyList<RcToken> tokens, int i, Entry entry, UserOptions options, string keyword, int line)
    {
        var values = new List<string>();
        while (i < tokens.Count && tokens[i].Text != "=" && (tokens[i].Quoted || !IsKeyword(tokens[i].Text)))
        {
            values.Add(tokens[i++].Text);
        }

        Value(entry, options, keyword, values, line);
        return i;
    }

    private static bool IsKeyword(string text) =>
        ServerKeywords.Contains(text) || UserKeywords.Contains(text) || EntryStarts.Contains(text) || Noise.Contains(text) || NegatedFlag(text) is not null;

    // 'nokeep' for 'no keep': the flag's name, or null.
    private static string? NegatedFlag(string text) =>
        text.Length > 2 && text.StartsWith("no", StringComparison.OrdinalIgnoreCase) && Flags.Contains(text[2..]) ? text[2..].ToLowerInvariant() : null;

    // How a word the reader did not expect is named in a note. Only a near miss of a keyword (letters only, one edit
    // away: a typo worth seeing) or another tool's keyword is repeated; anything else, a quoted string first, may be a
    // password or a command holding one, and the note's line finds it.
    private static string Unexpected(RcToken token)
    {
        if (token.Quoted)
        {
            return "a quoted string (not repeated: it may be a secret)";
        }

        if (OtherToolsKeywords.TryGetValue(token.Text, out var whose))
        {
            return $"'{token.Text.ToLowerInvariant()}' is {whose}";
        }

        if (token.Text == "=")
        {
            return "'='";
        }

        var near = token.Text.All(c => char.IsAsciiLetterLower(c) || c == '-')
            ? ServerKeywords.Concat(UserKeywords).Concat(EntryStarts).FirstOrDefault(k => DidYouMean.Distance(token.Text, k) == 1)
            : null;
        return near is null
            ? "a word that is no fetchmail keyword (not repeated: it may be a secret)"
            : $"'{token.Text}' is not a fetchmail keyword (did you mean {near}?)";
    }

    private static int ParseNames(IReadOnlyList<RcToken> tokens, int i, UserOptions user)
    {
        while (i < tokens.Count && (tokens[i].Quoted || (!IsKeyword(tokens[i].Text) && tokens[i].Text != "=")))
        {
            var name = tokens[i].Text;
            i++;
            if (i + 1 < tokens.Count && tokens[i].Text == "=" && !tokens[i].Quoted)
            {
                user.Names.Add((name, tokens[i + 1].Text)); // 'server-name' = 'local-name'
                i += 2;
            }
            else
            {
                user.Names.Add((null, name));
            }
        }

        if (i < tokens.Count && tokens[i].Is("there") && user.LocalFirst is not null && user.Names.Count > 0)
        {
            // 'user esr here is eric there': the list named the remote user.
            user.Remote = user.Names[0].Local;
            user.Names.Clear();
            user.Names.Add((null, user.LocalFirst));
        }

        if (i < tokens.Count && (tokens[i].Is("here") || tokens[i].Is("there")))
        {
            i++;
        }

        return i;
    }

    private static void Flag(Entry entry, UserOptions user, string keyword, bool on, int line)
    {
        switch (keyword)
        {
            case "ssl":
                user.Ssl = on;
                break;
            case "sslcertck":
                user.SslCertCk = on;
                break;
            case "keep":
                user.Keep = on;
                break;
            case "lmtp":
                user.Lmtp = on;
                break;
            case "envelope":
                entry.NoEnvelope = !on;
                break;
            default:
                if (on)
                {
                    user.Notes.Add((line, NotCarried.TryGetValue(keyword, out var why) ? why : $"{keyword} does not carry over"));
                }

                break;
        }
    }

    private static void Value(Entry entry, UserOptions user, string keyword, IReadOnlyList<string> values, int line, bool quoted = false)
    {
        var value = values.Count > 0 ? values[0] : "";
        switch (keyword)
        {
            case "via":
                entry.Via = value;
                break;
            case "proto" or "protocol":
                entry.Protocol = value.ToLowerInvariant();
                break;
            case "local" or "localdomains":
                entry.LocalDomains.AddRange(values.Select(v => v.ToLowerInvariant()));
                break;
            case "aka":
                entry.Aka.AddRange(values.Select(v => v.ToLowerInvariant()));
                break;
            case "port" or "service":
                entry.Port = value;
                break;
            case "auth" or "authenticate":
                entry.Auth = value.ToLowerInvariant();
                break;
            case "timeout":
                entry.Timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0 ? t : null;
                break;
            case "interval":
                entry.Interval = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;
                break;
            case "pass" or "password":
                user.Password = value;
                break;
            case "sslproto":
                user.SslProto = quoted || value.Length > 0 ? value : null;
                break;
            case "sslfingerprint":
                user.Notes.Add((line, "sslfingerprint (an MD5 pin) does not carry over: pin the certificate with certificate-sha256 (its SHA-256)"));
                break;
            case "sslcertfile" or "sslcertpath":
                user.Notes.Add((line, $"{keyword} does not carry over: certificates are checked against the system trust store (or pin one with certificate-sha256)"));
                break;
            case "sslcert" or "sslkey":
                user.Notes.Add((line, $"{keyword} (a client certificate) does not carry over: the collector does not log in with client certificates"));
                break;
            case "smtp" or "smtphost":
                user.SmtpHosts = values.ToList();
                break;
            case "smtpaddress":
                user.SmtpAddress = value;
                break;
            case "mda":
                user.Mda = value;
                break;
            case "bsmtp":
                user.Notes.Add((line, "bsmtp (append to a batch SMTP file) does not carry over: deliver to maildir:, lmtp:, smtp: or mda: instead"));
                break;
            case "limit":
                user.Limit = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0 ? limit : null;
                break;
            case "folder":
                user.Notes.Add((line, "folder does not carry over: POP3 has one mailbox"));
                break;
            default:
                // Only a number is repeated: any other value may be a secret or a command holding one (preconnect,
                // plugin, esmtppassword), and the line finds it.
                var text = values.Count > 0 && values.All(v => v.Length > 0 && v.All(char.IsAsciiDigit)) ? " " + string.Join(' ', values) : "";
                var target = ServerKeywords.Contains(keyword) ? entry.Notes : user.Notes;
                target.Add((line, $"{keyword}{text} does not carry over"));
                break;
        }
    }

    private static PeerAccount? Build(Entry entry, Entry? defaults, UserOptions own, Globals globals, ImportContext context, List<ImportNote> fileNotes)
    {
        // Most specific first: this user's options, the entry's before its first user, then the defaults entry's.
        var user = own.Over(entry.EntryUser).Over(defaults?.Users.FirstOrDefault()).Over(defaults?.EntryUser);
        var remote = user.Remote ?? user.LocalFirst ?? "";
        var where = $"{Where(context, own.Line)} (poll {entry.Name} user {remote})";
        var notes = new List<ImportNote>();
        void Note(string what) => notes.Add(new ImportNote(where, what));

        var protocol = entry.Protocol ?? defaults?.Protocol ?? "pop3";
        if (!IsPop3(protocol, Note, out var auth))
        {
            fileNotes.Add(new ImportNote(where, $"protocol {protocol} is not POP3: the collector collects POP3 mailboxes only; this account is not carried over"));
            return null;
        }

        if (remote.Length == 0)
        {
            fileNotes.Add(new ImportNote(where, "no remote user name: not carried over"));
            return null;
        }

        foreach (var (line, what) in (defaults?.Notes ?? []).Concat(entry.Notes).Concat(user.Notes).Distinct())
        {
            notes.Add(new ImportNote($"{Where(context, line)} (poll {entry.Name} user {remote})", what));
        }

        var server = entry.Via ?? entry.Name;
        var ssl = SslMode(user, Note);
        auth = AuthFrom(entry.Auth ?? defaults?.Auth, auth, Note);
        var port = ParsePort(entry.Port ?? defaults?.Port, Note);
        var password = user.Password is { } clear ? new PeerPassword(new Secret(clear), null) : PeerPassword.None;
        if (user.Password is null)
        {
            Note("no password in the file (fetchmail asked for it or read ~/.netrc): give the account a password-file or password-env");
        }

        var timeout = entry.Timeout ?? defaults?.Timeout;
        var daemon = CheckEvery(globals, entry, Note);
        if (entry.Skip)
        {
            Note("a skip entry: imported with enabled = off");
        }

        if (user.SslCertCk == false)
        {
            Note("no sslcertck: imported with verify-certificate = off");
        }

        var (mailbox, routing) = Destination(entry, defaults, user, remote, globals, Note);
        return new PeerAccount
        {
            Name = $"{remote}-{server}",
            Origin = $"{Where(context, own.Line)}",
            Server = server,
            Port = port,
            User = remote,
            Password = password,
            Ssl = ssl,
            VerifyCertificate = user.SslCertCk != false,
            Auth = auth,
            LeaveMailOnServer = user.Keep == true,
            MaxMessageSize = user.Limit,
            CheckEvery = daemon,
            CommandTimeout = timeout is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
            Enabled = !entry.Skip,
            Mailbox = mailbox,
            Multidrop = routing,
            UidlState = new PeerUidlState(PeerTool.Fetchmail, globals.IdFile ?? Path.Combine(context.Home, ".fetchids"), server, remote),
            Notes = notes,
        };
    }

    // pop3, apop (POP3 with APOP) and auto carry over; any other protocol does not.
    private static bool IsPop3(string protocol, Action<string> note, out AuthMethod? auth)
    {
        auth = null;
        switch (protocol)
        {
            case "pop3":
                return true;
            case "apop":
                auth = AuthMethod.Apop;
                return true;
            case "auto":
                note("protocol auto: imported as POP3");
                return true;
            default:
                return false;
        }
    }

    private static TlsMode SslMode(UserOptions user, Action<string> note)
    {
        var ssl = user.Ssl == true ? TlsMode.Implicit : user.SslProto is "" ? TlsMode.None : TlsMode.StartTls;
        if (user.Ssl != true && user.SslProto is null)
        {
            note("no ssl: fetchmail used STARTTLS when the server offered it; the collector requires it (ssl = starttls); set ssl = none if the server has no TLS");
        }

        return ssl;
    }

    // The entry's auth keyword; none given, any or password keep what the protocol chose.
    private static AuthMethod? AuthFrom(string? authName, AuthMethod? auth, Action<string> note)
    {
        switch (authName)
        {
            case null or "any" or "password":
                break;
            case "cram-md5":
                auth = AuthMethod.CramMd5;
                break;
            default:
                note($"auth {authName} does not carry over: the collector logs in with USER/PASS unless auth says otherwise");
                break;
        }

        return auth;
    }

    // fetchmail's 'set daemon' times the entry's interval, at least 10 s; none: not set.
    private static TimeSpan? CheckEvery(Globals globals, Entry entry, Action<string> note)
    {
        var daemon = globals.Daemon is { } d ? d * (entry.Interval ?? 1) : (TimeSpan?)null;
        if (daemon is { } every && every < TimeSpan.FromSeconds(10))
        {
            daemon = TimeSpan.FromSeconds(10);
            note("set daemon under 10 s: check-every is at least 10 s");
        }

        return daemon;
    }

    // One local name: an ordinary account's mailbox; several (or '*'): a multidrop account's routing.
    private static (string? Mailbox, MultidropSettings? Routing) Destination(
        Entry entry, Entry? defaults, UserOptions user, string remote, Globals globals, Action<string> note)
    {
        var names = user.Names.Count > 0 ? user.Names : [(null, remote)];
        var multidrop = names.Count > 1 || names.Any(n => n.Local == "*");
        if (multidrop)
        {
            return (null, Multidrop(entry, defaults, user, names, globals, note));
        }

        if (user.Names.Count == 0)
        {
            note($"no local name (is ... here): mail for '{remote}' is delivered as to the local user '{remote}'");
        }

        var (spec, problem) = Deliver(user, names[0].Local);
        if (problem is not null)
        {
            note(problem);
        }

        return (spec, null);
    }

    private static int? ParsePort(string? port, Action<string> note)
    {
        switch (port)
        {
            case null:
                return null;
            case "pop3":
                return 110;
            case "pop3s":
                return 995;
        }

        if (int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is > 0 and <= 65535)
        {
            return number;
        }

        note($"service {port} is not a port number: the default port is used");
        return null;
    }

    // fetchmail's delivery for one local name: an MDA (%T is the local name), LMTP or SMTP to the first smtphost, or its
    // default, SMTP to localhost:25.
    private static (string? Spec, string? Problem) Deliver(UserOptions user, string local)
    {
        var recipient = local.Contains('@', StringComparison.Ordinal) ? local : $"{local}@{user.SmtpAddress ?? "localhost"}";
        if (user.Mda is { } mda)
        {
            return PeerDelivery.Mda(mda, new Dictionary<string, string> { ["%T"] = local, ["%t"] = local }, ["%F", "%f"]);
        }

        var hosts = user.SmtpHosts ?? ["localhost"];
        var first = hosts[0];
        var slash = first.IndexOf('/', StringComparison.Ordinal);
        string host;
        int port;
        if (first.StartsWith('/'))
        {
            return (PeerDelivery.Relay(lmtp: true, first, 0, recipient), hosts.Count > 1 ? $"smtphost lists {hosts.Count} hosts: only the first ({first}) carries over" : null);
        }

        if (slash > 0 && int.TryParse(first[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var given))
        {
            host = first[..slash];
            port = given;
        }
        else
        {
            host = slash > 0 ? first[..slash] : first;
            port = 25;
            if (user.Lmtp == true)
            {
                return (null, $"lmtp to {first} without a port: fetchmail refuses that too; give smtphost host/port");
            }
        }

        var problem = hosts.Count > 1 ? $"smtphost lists {hosts.Count} hosts: only the first ({first}) carries over" : null;
        if (user.SmtpHosts is null && user.Lmtp != true)
        {
            problem = "no mda or smtphost: fetchmail's default, SMTP to localhost port 25, was carried over";
        }

        return (PeerDelivery.Relay(user.Lmtp == true, host, port, recipient), problem);
    }

    private static MultidropSettings Multidrop(
        Entry entry, Entry? defaults, UserOptions user, IReadOnlyList<(string? Server, string Local)> names, Globals globals, Action<string> note)
    {
        // fetchmail maps the is ... here names for addresses in the server's names (aka), and passes addresses in
        // localdomains through unaltered for its MTA or MDA to resolve; the collector routes both by the names.
        var localDomains = entry.LocalDomains.Count > 0 ? entry.LocalDomains : defaults?.LocalDomains ?? [];
        var aka = entry.Aka.Count > 0 ? entry.Aka : defaults?.Aka ?? [];
        var domains = localDomains.Concat(aka).Distinct().ToList();
        if (domains.Count == 0)
        {
            note("multidrop without localdomains or aka: fetchmail matched addresses by the server's DNS names; the collector needs multidrop.local-domains (give --local-domains)");
        }

        if (localDomains.Count > 0)
        {
            note($"fetchmail passed addresses in localdomains ({string.Join(", ", localDomains)}) through unaltered for its MTA or MDA to resolve; the collector routes them to the users listed (is ... here), other local parts to the default");
        }

        if (aka.Count > 0)
        {
            note($"aka ({string.Join(", ", aka)}) matched subdomains too; multidrop.local-domains match exactly");
        }

        IReadOnlyList<string> headers;
        var envelope = entry.Envelope ?? defaults?.Envelope;
        if (entry.NoEnvelope || (envelope is null && defaults?.NoEnvelope == true))
        {
            headers = [];
            note("no envelope: recipients are taken from To and Cc only");
        }
        else if (envelope is null || envelope.Equals("Received", StringComparison.OrdinalIgnoreCase))
        {
            headers = MultidropSettings.DefaultEnvelopeHeaders;
            note($"fetchmail's default envelope (the 'for' clause of Received lines) is not read: the collector looks for {string.Join(", ", headers)}");
        }
        else
        {
            headers = [envelope];
            if ((entry.Envelope is not null ? entry.EnvelopeSkip : defaults?.EnvelopeSkip ?? 0) > 0)
            {
                note($"envelope's skip count does not carry over: every {envelope} header naming a local address counts");
            }
        }

        var aliases = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var destinations = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new HashSet<string>(StringComparer.Ordinal);
        void AddUser(string local)
        {
            if (destinations.ContainsKey(local))
            {
                return;
            }

            var (spec, problem) = Deliver(user, local);
            if (spec is not null)
            {
                destinations[local] = spec;
            }
            else
            {
                note($"user {local} is not carried over: {problem}");
            }

            if (spec is not null && problem is not null && problems.Add(problem))
            {
                note(problem);
            }
        }

        foreach (var (server, local) in names)
        {
            if (local == "*")
            {
                note("'*' (pass every local address through) does not carry over: list each user in multidrop.destinations");
                continue;
            }

            var name = local.ToLowerInvariant();
            AddUser(name);
            if (server is not null && !server.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                var alias = server.ToLowerInvariant();
                var at = alias.IndexOf('@', StringComparison.Ordinal);
                if (at > 0)
                {
                    note($"mapping '{server}'='{local}': only its local part '{alias[..at]}' carries over (aliases match local parts in every local domain)");
                    alias = alias[..at];
                }

                aliases[alias] = aliases.TryGetValue(alias, out var known) ? [.. known, name] : [name];
            }
        }

        var postmaster = (globals.Postmaster ?? "postmaster").ToLowerInvariant();
        AddUser(postmaster);
        if (globals.BounceMail != false)
        {
            note($"fetchmail bounced mail for unknown local names to the sender; the collector never bounces: it goes to multidrop.default '{postmaster}' (fetchmail's postmaster)");
        }

        return new MultidropSettings
        {
            LocalDomains = domains.Distinct().ToList(),
            EnvelopeHeaders = headers,
            Aliases = aliases,
            Default = destinations.ContainsKey(postmaster) ? postmaster : null,
            Destinations = destinations,
        };
    }

    private sealed class Globals
    {
        public TimeSpan? Daemon { get; set; }

        public string? Postmaster { get; set; }

        public string? IdFile { get; set; }

        public bool? BounceMail { get; set; }
    }

    private sealed class Entry(string name, bool skip, int line)
    {
        public string Name { get; } = name;

        public bool Skip { get; } = skip;

        public int Line { get; } = line;

        public string? Via { get; set; }

        public string? Protocol { get; set; }

        public string? Port { get; set; }

        public string? Auth { get; set; }

        public int? Timeout { get; set; }

        public int? Interval { get; set; }

        public string? Envelope { get; set; }

        public int EnvelopeSkip { get; set; }

        public bool NoEnvelope { get; set; }

        public List<string> LocalDomains { get; } = [];

        public List<string> Aka { get; } = [];

        public List<UserOptions> Users { get; } = [];

        /// <summary>User options given before any user description (a defaults entry's, mostly).</summary>
        public UserOptions EntryUser { get; } = new(line);

        public List<(int Line, string What)> Notes { get; } = [];
    }

    private sealed class UserOptions(int line)
    {
        public int Line { get; } = line;

        public string? Remote { get; set; }

        public string? LocalFirst { get; set; }

        public List<(string? Server, string Local)> Names { get; private set; } = [];

        public string? Password { get; set; }

        public bool? Ssl { get; set; }

        public bool? SslCertCk { get; set; }

        public string? SslProto { get; set; }

        public List<string>? SmtpHosts { get; set; }

        public string? SmtpAddress { get; set; }

        public string? Mda { get; set; }

        public bool? Lmtp { get; set; }

        public bool? Keep { get; set; }

        public long? Limit { get; set; }

        public List<(int Line, string What)> Notes { get; private set; } = [];

        /// <summary>These options where given, <paramref name="basis"/>'s elsewhere.</summary>
        public UserOptions Over(UserOptions? basis)
        {
            if (basis is null || ReferenceEquals(basis, this))
            {
                return this;
            }

            return new UserOptions(Line)
            {
                Remote = Remote ?? basis.Remote,
                LocalFirst = LocalFirst ?? basis.LocalFirst,
                Names = Names.Count > 0 ? Names : basis.Names,
                Password = Password ?? basis.Password,
                Ssl = Ssl ?? basis.Ssl,
                SslCertCk = SslCertCk ?? basis.SslCertCk,
                SslProto = SslProto ?? basis.SslProto,
                SmtpHosts = SmtpHosts ?? basis.SmtpHosts,
                SmtpAddress = SmtpAddress ?? basis.SmtpAddress,
                Mda = Mda ?? basis.Mda,
                Lmtp = Lmtp ?? basis.Lmtp,
                Keep = Keep ?? basis.Keep,
                Limit = Limit ?? basis.Limit,
                Notes = [.. basis.Notes, .. Notes],
            };
        }
    }
}
