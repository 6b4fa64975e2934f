using System.Globalization;
using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Core.Migration;

/// <summary>
/// Reads an mpop configuration (mpop's manual, "CONFIGURATION FILES"): <c>defaults</c>, <c>account NAME [: OTHER,...]</c>
/// with inheritance, one command per line with an optionally quoted argument. An account that is the same mailbox as
/// an earlier one (<c>account default : freemail</c>) is imported once. Every command that does not carry over is noted
/// with its line.
/// </summary>
public static class MpoprcParser
{
    private const string DefaultUidlsFile = "~/.mpop_uidls/%U_at_%H";

    /// <summary>Reads the file's text.</summary>
    public static PeerConfig Parse(string text, ImportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var fileNotes = new List<ImportNote>();
        var defaults = new Dictionary<string, Setting>(StringComparer.Ordinal);
        var accounts = new List<(string Name, int Line, Dictionary<string, Setting> Settings)>();
        Dictionary<string, Setting>? current = defaults;
        var number = 0;
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.IndexOfAny([' ', '\t']);
            var command = (space < 0 ? line : line[..space]).ToLowerInvariant();
            var argument = Unquote(space < 0 ? "" : line[(space + 1)..].Trim());
            switch (command)
            {
                case "defaults":
                    current = defaults;
                    break;
                case "account":
                    var colon = argument.IndexOf(':', StringComparison.Ordinal);
                    var name = (colon < 0 ? argument : argument[..colon]).Trim();
                    var settings = new Dictionary<string, Setting>(defaults, StringComparer.Ordinal);
                    if (colon >= 0)
                    {
                        foreach (var parent in argument[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                        {
                            var inherited = accounts.FirstOrDefault(a => a.Name == parent);
                            if (inherited.Settings is null)
                            {
                                fileNotes.Add(new ImportNote($"{context.File}:{number}", $"account {name} inherits from '{parent}', which is not defined before it"));
                                continue;
                            }

                            foreach (var (key, value) in inherited.Settings)
                            {
                                settings[key] = value;
                            }
                        }
                    }

                    accounts.Add((name, number, settings));
                    current = settings;
                    break;
                default:
                    current[command] = new Setting(argument, number);
                    break;
            }
        }

        var result = new List<PeerAccount>();
        foreach (var (name, line, settings) in accounts)
        {
            var account = Build(name, line, settings, context, fileNotes);
            if (account is null)
            {
                continue;
            }

            var same = result.FirstOrDefault(a => a.Server.Equals(account.Server, StringComparison.OrdinalIgnoreCase) && a.User == account.User && a.Port == account.Port);
            if (same is not null)
            {
                fileNotes.Add(new ImportNote($"{context.File}:{line}", $"account {name} is the same mailbox as account {same.Name} ({account.User} at {account.Server}): imported once"));
                continue;
            }

            result.Add(account);
        }

        return new PeerConfig(PeerTool.Mpop, result, fileNotes);
    }

    private static PeerAccount? Build(string name, int line, Dictionary<string, Setting> settings, ImportContext context, List<ImportNote> fileNotes)
    {
        var notes = new List<ImportNote>();
        string? Get(string key) => settings.TryGetValue(key, out var s) ? s.Value : null;
        bool? On(string key) => settings.TryGetValue(key, out var s) ? IsOn(s) : null;

        var host = Get("host");
        var user = Get("user");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(user))
        {
            fileNotes.Add(new ImportNote($"{context.File}:{line}", $"account {name} has no host or user: not imported"));
            return null;
        }

        var tls = On("tls") == true;
        var starttls = On("tls_starttls") != false;
        var ssl = !tls ? TlsMode.None : starttls ? TlsMode.StartTls : TlsMode.Implicit;
        var keys = ReadKeys(name, settings, context, notes);
        NoteMpopGaps(name, line, settings, keys.Password, context, notes);
        var uidls = (Get("uidls_file") is { Length: > 0 } file ? file : DefaultUidlsFile).Replace("%U", user, StringComparison.Ordinal).Replace("%H", host, StringComparison.Ordinal);
        return new PeerAccount
        {
            Name = name,
            Origin = $"{context.File}:{line}",
            Server = host,
            Port = keys.Port,
            User = user,
            Password = keys.Password,
            Ssl = ssl,
            VerifyCertificate = On("tls_certcheck") != false,
            CertificateSha256 = keys.Pin,
            Auth = keys.Auth,
            LeaveMailOnServer = On("keep") == true,
            MaxMessageSize = keys.MaxSize,
            CommandTimeout = keys.Timeout,
            Mailbox = keys.Mailbox,
            UidlState = new PeerUidlState(PeerTool.Mpop, context.Expand(uidls), host, user),
            Notes = notes,
        };
    }

    // The account's settings in file order; one that does not carry over is noted at its line.
    private static AccountKeys ReadKeys(string name, Dictionary<string, Setting> settings, ImportContext context, List<ImportNote> notes)
    {
        void Note(Setting s, string what) => notes.Add(new ImportNote($"{context.File}:{s.Line} (account {name})", what));
        int? port = null;
        string? pin = null;
        AuthMethod? auth = null;
        TimeSpan? timeout = null;
        long? maxSize = null;
        string? mailbox = null;
        var password = PeerPassword.None;
        foreach (var (key, setting) in settings.OrderBy(s => s.Value.Line))
        {
            var value = setting.Value;
            switch (key)
            {
                case "host" or "user" or "tls" or "tls_starttls" or "uidls_file":
                    break;
                case "port":
                    port = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and <= 65535 ? p : null;
                    break;
                case "password":
                    password = value.Length > 0 ? new PeerPassword(new Secret(value), password.Command) : password;
                    break;
                case "passwordeval":
                    password = value.Length > 0 ? new PeerPassword(password.Clear, value) : password;
                    break;
                case "tls_certcheck":
                    if (!IsOn(setting))
                    {
                        Note(setting, "tls_certcheck off: imported with verify-certificate = off");
                    }

                    break;
                case "tls_fingerprint":
                    var hex = value.Replace(":", "", StringComparison.Ordinal);
                    if (hex.Length == 64 && hex.All(char.IsAsciiHexDigit))
                    {
                        pin = hex.ToLowerInvariant();
                    }
                    else if (value.Length > 0)
                    {
                        Note(setting, "tls_fingerprint is not a SHA-256 fingerprint (SHA-1 and MD5 do not carry over): pin with certificate-sha256");
                    }

                    break;
                case "tls_trust_file":
                    if (value is not ("" or "system"))
                    {
                        Note(setting, "tls_trust_file does not carry over: certificates are checked against the system trust store (or pin one with certificate-sha256)");
                    }

                    break;
                case "auth":
                    (auth, var problem) = Auth(value);
                    if (problem is not null)
                    {
                        Note(setting, problem);
                    }

                    break;
                case "timeout":
                    timeout = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && t > 0 ? TimeSpan.FromSeconds(t) : null;
                    break;
                case "skipsize":
                    maxSize = Size(value);
                    break;
                case "keep" or "received_header" or "only_new":
                    break; // read by Build and NoteMpopGaps
                case "delivery":
                    (mailbox, var deliveryProblem) = Delivery(value, context);
                    if (deliveryProblem is not null)
                    {
                        Note(setting, deliveryProblem);
                    }

                    break;
                default:
                    Note(setting, NotCarriedOver(key));
                    break;
            }
        }

        return new AccountKeys(port, pin, auth, timeout, maxSize, mailbox, password);
    }

    private static (AuthMethod? Auth, string? Problem) Auth(string value) => value.ToLowerInvariant() switch
    {
        "" or "on" or "choose" => ((AuthMethod?)null, (string?)null),
        "user" => (AuthMethod.UserPass, null),
        "plain" => (AuthMethod.Plain, null),
        "login" => (AuthMethod.Login, null),
        "apop" => (AuthMethod.Apop, null),
        "cram-md5" => (AuthMethod.CramMd5, null),
        "scram-sha-256" => (AuthMethod.ScramSha256, null),
        "xoauth2" or "oauthbearer" => (null, $"auth {value} does not carry over as is: OAuth2 accounts need an oauth2 {{ ... }} section with a refresh token"),
        _ => (null, $"auth {value} does not carry over: the collector logs in with USER/PASS unless auth says otherwise"),
    };

    // 'delivery method [argument]': maildir and mda carry over.
    private static (string? Mailbox, string? Problem) Delivery(string value, ImportContext context)
    {
        var space = value.IndexOfAny([' ', '\t']);
        var method = space < 0 ? value : value[..space];
        var target = Unquote(space < 0 ? "" : value[(space + 1)..].Trim());
        return method switch
        {
            "maildir" => (PeerDelivery.Maildir(context.Expand(target)), (string?)null),
            "mda" => PeerDelivery.Mda(target, new Dictionary<string, string>(), ["%F"]),
            _ => (null, $"delivery {method} does not carry over (the collector delivers to maildir:, lmtp:, smtp: or mda:): give the account a mailbox"),
        };
    }

    // The note for a setting the collector has no counterpart for.
    private static string NotCarriedOver(string key) => key switch
    {
        "killsize" => "killsize (delete oversized messages unread) does not carry over: oversized messages are skipped and reported (max-message-size)",
        "filter" => "filter does not carry over: the collector fetches every message; filter at the destination (Sieve, procmail)",
        "pipelining" => "pipelining needs no setting: the collector pipelines when the server offers it",
        "eval" => "eval lines are not run by the import: put their result in the account by hand",
        _ => $"{key} does not carry over",
    };

    // What mpop did that the collector does differently: only_new, the Received header, asking for a password.
    private static void NoteMpopGaps(string name, int line, Dictionary<string, Setting> settings, PeerPassword password, ImportContext context, List<ImportNote> notes)
    {
        if (settings.TryGetValue("only_new", out var onlyNew) && !IsOn(onlyNew))
        {
            notes.Add(new ImportNote($"{context.File}:{onlyNew.Line} (account {name})", "only_new off (process every message each time) does not carry over: the collector collects each message once"));
        }

        if (!settings.TryGetValue("received_header", out var received) || IsOn(received))
        {
            notes.Add(new ImportNote($"{context.File}:{line} (account {name})", "mpop prepended a Received header (received_header, on by default); the collector delivers messages unchanged"));
        }

        if (password == PeerPassword.None)
        {
            notes.Add(new ImportNote($"{context.File}:{line} (account {name})", "no password or passwordeval (mpop asked for it, read a key ring or ~/.netrc): give the account a password-file or password-env"));
        }
    }

    private static bool IsOn(Setting setting) => setting.Value.ToLowerInvariant() is "" or "on";

    private static long? Size(string value)
    {
        var text = value.Trim().ToLowerInvariant();
        var factor = text.EndsWith('k') ? 1024L : text.EndsWith('m') ? 1024L * 1024 : 1L;
        return long.TryParse(factor == 1 ? text : text[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n * factor : null;
    }

    private static string Unquote(string text) => text.Length >= 2 && text[0] == '"' && text[^1] == '"' ? text[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal) : text;

    private sealed record Setting(string Value, int Line);

    private sealed record AccountKeys(int? Port, string? Pin, AuthMethod? Auth, TimeSpan? Timeout, long? MaxSize, string? Mailbox, PeerPassword Password);
}
