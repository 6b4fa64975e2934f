using System.Globalization;
using System.Text.RegularExpressions;
using Akka.Configuration.Hocon;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Planning;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// Reads one account's keys (an account object of the node file, or <c>collector add</c>'s options) strictly, by the
/// rules of <see cref="AccountKeys"/>, collecting every problem (where, key, what is wrong) rather than stopping at the
/// first. Reading yields <see cref="AccountOptions"/> (what was given); <see cref="Settings"/> applies the defaults.
/// </summary>
internal sealed partial class AccountReader(IReadOnlyDictionary<string, HoconValue> items, string where, List<string> errors)
{
    private static readonly string[] PasswordKeys = ["password", "password-file", "password-env"];

    /// <summary>Where the account is, for errors; gains <c>(id = ...)</c> once the id is read.</summary>
    public string Where { get; private set; } = where;

    /// <summary>The id (null when absent); names the account in every later error.</summary>
    public string? Id()
    {
        var id = String("id");
        if (id is not null)
        {
            if (!IdPattern().IsMatch(id))
            {
                Error("id", $"'{id}' is not a valid id (letters, digits, '.', '_', '-'; at most 64; starts with a letter or digit)");
            }

            Where = $"{Where} (id = {id})";
        }

        return id;
    }

    /// <summary>Every key given, typed; unknown keys and (unless <paramref name="partial"/>, as for an edit) missing required keys are errors.</summary>
    public AccountOptions Options(bool partial = false)
    {
        foreach (var key in items.Keys.Where(k => !AccountKeys.IsKnown(k)))
        {
            Error(key, $"unknown key (did you mean '{AccountKeys.Nearest(key)}'?)");
        }

        foreach (var key in AccountKeys.All.Where(k => k.Required && !partial && !Given(k.Name)))
        {
            Error(key.Name, "is required");
        }

        // Mail goes to one mailbox or, for a domain mailbox, to the multidrop section's users: exactly one of the two.
        if (!partial && !Given("mailbox") && !items.ContainsKey("multidrop"))
        {
            Error("mailbox", "is required (or a multidrop { ... } section for a domain mailbox)");
        }

        if (Given("mailbox") && items.ContainsKey("multidrop"))
        {
            Error("multidrop", "an account has a mailbox or a multidrop section, not both (multidrop.destinations says where each user's mail goes)");
        }

        var pin = String("certificate-sha256");
        if (pin is not null && !Sha256Pattern().IsMatch(pin))
        {
            Error("certificate-sha256", "must be 64 hex digits (colons allowed), the SHA-256 of the certificate's DER");
        }

        var (commitMessages, commitBytes) = CommitEvery();
        return new AccountOptions
        {
            Pop3Server = String("pop3-server"),
            Port = Int("port", 1, 65535),
            Pop3Account = String("pop3-account"),
            Ssl = Enum("ssl", ("none", TlsMode.None), ("starttls", TlsMode.StartTls), ("implicit", TlsMode.Implicit)),
            VerifyCertificate = Bool("verify-certificate"),
            CertificateSha256 = pin,
            Auth = Enum(
                "auth", ("user-pass", AuthMethod.UserPass), ("apop", AuthMethod.Apop), ("plain", AuthMethod.Plain), ("login", AuthMethod.Login),
                ("cram-md5", AuthMethod.CramMd5), ("scram-sha-256", AuthMethod.ScramSha256), ("xoauth2", AuthMethod.XOAuth2), ("oauthbearer", AuthMethod.OAuthBearer)),
            LeaveMailOnServer = Bool("leave-mail-on-server"),
            DeleteAfterDays = Int("delete-after-days", 1, 36500),
            MirrorMailbox = Bool("mirror-mailbox"),
            MirrorMaxShare = Share("mirror-max-share"),
            LocalAreaNetwork = Bool("local-area-network"),
            DownloadSmallestFirst = Bool("download-smallest-first"),
            CheckEvery = Duration("check-every", minutesWhenNumber: true),
            Mailbox = String("mailbox"),
            Priority = Int("priority", -1000, 1000),
            Enabled = Bool("enabled"),
            ConnectTimeout = Duration("connect-timeout", minutesWhenNumber: false),
            CommandTimeout = Duration("command-timeout", minutesWhenNumber: false),
            MaxMessageSize = ByteSize("max-message-size"),
            CommitEveryMessages = commitMessages,
            CommitEveryBytes = commitBytes,
            Oversize = Enum("oversize", ("skip", OversizeHandling.Skip), ("postpone", OversizeHandling.Postpone)),
        };
    }

    /// <summary>
    /// The node file's credentials: exactly one password source, or, for OAuth2 (which logs in with access tokens
    /// refreshed from <c>oauth2 { ... }</c>), no password and the oauth2 section.
    /// </summary>
    public (Secret? Password, OAuth2Settings? OAuth2) Credentials(AccountOptions options, string configDirectory, Func<string, string?> environment)
    {
        if (options.Auth is not (AuthMethod.XOAuth2 or AuthMethod.OAuthBearer))
        {
            if (items.ContainsKey("oauth2"))
            {
                Error("oauth2", "only used with auth = xoauth2 or oauthbearer");
            }

            return (Password(configDirectory, environment), null);
        }

        foreach (var key in PasswordKeys.Where(items.ContainsKey))
        {
            Error(key, "not used with auth = xoauth2 or oauthbearer (the oauth2 section's refresh-token is the credential)");
        }

        return (Secret.None, OAuth2ConfigReader.Read(items.GetValueOrDefault("oauth2"), Where, errors));
    }

    /// <summary>
    /// The account as applied: the given keys over <see cref="AccountKeys.Defaults"/>, the rules between keys checked,
    /// the destination parsed and a relative maildir resolved against <paramref name="configDirectory"/>.
    /// </summary>
    public AccountSettings Settings(string id, AccountOptions given, Secret password, OAuth2Settings? oauth2, string configDirectory)
    {
        var o = given.Over(AccountKeys.Defaults);
        var leave = o.LeaveMailOnServer!.Value;
        if (given.DeleteAfterDays is not null && !leave)
        {
            Error("delete-after-days", "only applies with leave-mail-on-server = on (without it, mail is deleted as soon as it is collected)");
        }

        if (o.MirrorMailbox!.Value)
        {
            if (!leave)
            {
                Error("mirror-mailbox", "needs leave-mail-on-server = on (without it every collected message is deleted on the server, so there is nothing to mirror)");
            }

            if (given.Mailbox is { } target && !target.StartsWith("maildir:", StringComparison.Ordinal))
            {
                Error("mirror-mailbox", $"needs a maildir: mailbox (the collector must see what the user deleted); {target} cannot be mirrored");
            }
        }

        var multidrop = items.TryGetValue("multidrop", out var multidropValue) ? MultidropConfigReader.Read(multidropValue, Where, errors, configDirectory) : null;
        if (multidrop is not null && o.MirrorMailbox.Value)
        {
            Error("mirror-mailbox", "a multidrop account cannot be mirrored (its mail goes to several users' mailboxes)");
        }

        var importedUidls = String("imported-uidls") is { } seed ? Path.GetFullPath(seed, configDirectory) : null;

        if (o.CheckEvery < TimeSpan.FromSeconds(10))
        {
            Error("check-every", "must be at least 10 seconds");
        }

        if (given.Mailbox is { } mailbox)
        {
            // A bad destination fails here, at load, not at the account's first session.
            try
            {
                _ = Delivery.MailboxSpec.Parse(mailbox, configDirectory);
            }
            catch (FormatException e)
            {
                Error("mailbox", e.Message);
            }
        }

        return new AccountSettings
        {
            Id = id,
            Pop3Server = o.Pop3Server ?? "",
            Port = given.Port ?? (o.Ssl == TlsMode.Implicit ? 995 : o.Port!.Value),
            Pop3Account = o.Pop3Account ?? "",
            Password = password,
            Ssl = o.Ssl!.Value,
            VerifyCertificate = o.VerifyCertificate!.Value,
            CertificateSha256 = o.CertificateSha256,
            Auth = o.Auth!.Value,
            LeaveMailOnServer = leave,
            DeleteAfterDays = o.DeleteAfterDays,
            MirrorMailbox = o.MirrorMailbox.Value,
            MirrorMaxShare = o.MirrorMaxShare!.Value,
            LocalAreaNetwork = o.LocalAreaNetwork!.Value,
            DownloadSmallestFirst = o.DownloadSmallestFirst!.Value,
            CheckEvery = o.CheckEvery!.Value,
            Mailbox = multidrop?.Describe() ?? ResolveMailbox(o.Mailbox, configDirectory),
            Priority = o.Priority!.Value,
            Enabled = o.Enabled!.Value,
            ConnectTimeout = o.ConnectTimeout!.Value,
            CommandTimeout = o.CommandTimeout!.Value,
            MaxMessageSize = o.MaxMessageSize!.Value,
            CommitEvery = new CommitEvery(o.CommitEveryMessages!.Value, o.CommitEveryBytes!.Value),
            Oversize = o.Oversize!.Value,
            OAuth2 = oauth2,
            Multidrop = multidrop,
            ImportedUidls = importedUidls,
        };
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:?[0-9A-Fa-f]{2}){31}$")]
    private static partial Regex Sha256Pattern();

    private static string ResolveMailbox(string? mailbox, string configDirectory)
    {
        const string maildir = "maildir:";
        if (mailbox is not null && mailbox.StartsWith(maildir, StringComparison.Ordinal) && !Path.IsPathRooted(mailbox[maildir.Length..]))
        {
            return maildir + Path.GetFullPath(mailbox[maildir.Length..], configDirectory);
        }

        return mailbox ?? "";
    }

    private static string Show(HoconValue value) => value.IsString() ? value.GetString() : value.ToString();

    private bool Given(string key) => items.TryGetValue(key, out var value) && !value.IsEmpty;

    private Secret? Password(string configDirectory, Func<string, string?> environment)
    {
        var given = PasswordKeys.Where(items.ContainsKey).ToList();
        if (given.Count != 1)
        {
            Error(given.Count == 0 ? "password" : string.Join("/", given), "give exactly one of password, password-file, password-env");
            return null;
        }

        if (!Given(given[0]))
        {
            Error(given[0], "is required");
            return null;
        }

        var value = String(given[0]);
        if (value is null)
        {
            return null;
        }

        switch (given[0])
        {
            case "password":
                return new Secret(value);
            case "password-env":
                var fromEnv = environment(value);
                if (string.IsNullOrEmpty(fromEnv))
                {
                    Error("password-env", $"environment variable {value} is not set");
                    return null;
                }

                return new Secret(fromEnv);
            default:
                var path = Path.GetFullPath(value, configDirectory);
                try
                {
                    return new Secret(File.ReadAllText(path).TrimEnd('\r', '\n'));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Error("password-file", $"cannot read {path}: {e.GetType().Name}");
                    return null;
                }
        }
    }

    private string? String(string key)
    {
        if (!items.TryGetValue(key, out var value) || value.IsEmpty)
        {
            return null;
        }

        if (!value.IsString())
        {
            Error(key, "must be a string");
            return null;
        }

        var text = value.GetString();
        if (string.IsNullOrWhiteSpace(text))
        {
            Error(key, "must not be empty");
            return null;
        }

        return text.Trim();
    }

    private bool? Bool(string key)
    {
        if (!items.TryGetValue(key, out var value))
        {
            return null;
        }

        switch (value.IsString() ? value.GetString().Trim().ToLowerInvariant() : "")
        {
            case "on" or "true" or "yes":
                return true;
            case "off" or "false" or "no":
                return false;
            default:
                Error(key, $"'{Show(value)}' is not a boolean (on/off, true/false, yes/no)");
                return null;
        }
    }

    private int? Int(string key, int min, int max)
    {
        if (!items.TryGetValue(key, out var value))
        {
            return null;
        }

        if (!value.IsString() || !int.TryParse(value.GetString().Trim(), out var number))
        {
            Error(key, $"'{Show(value)}' is not a whole number");
            return null;
        }

        if (number < min || number > max)
        {
            Error(key, $"{number} is out of range ({min} to {max})");
            return null;
        }

        return number;
    }

    private TimeSpan? Duration(string key, bool minutesWhenNumber)
    {
        if (!items.TryGetValue(key, out var value))
        {
            return null;
        }

        var text = value.IsString() ? value.GetString().Trim() : "";
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
        {
            if (number <= 0)
            {
                Error(key, "must be positive");
                return null;
            }

            return minutesWhenNumber ? TimeSpan.FromMinutes(number) : TimeSpan.FromSeconds(number);
        }

        try
        {
            var span = value.GetTimeSpan();
            if (span <= TimeSpan.Zero)
            {
                Error(key, "must be positive");
                return null;
            }

            return span;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or NotSupportedException)
        {
            Error(key, $"'{Show(value)}' is not a duration (e.g. 10 for minutes, or 90s, 7m, 1h)");
            return null;
        }
    }

    /// <summary>A share in (0, 1], e.g. 0.5.</summary>
    private double? Share(string key)
    {
        if (!items.TryGetValue(key, out var value))
        {
            return null;
        }

        var text = value.IsString() ? value.GetString().Trim() : "";
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var share) || !(share > 0 && share <= 1))
        {
            Error(key, $"'{Show(value)}' is not a share between 0 (exclusive) and 1, e.g. 0.5");
            return null;
        }

        return share;
    }

    /// <summary><c>commit-every { messages = 500, bytes = 100m }</c>: either may be left out (its default stays); 0 and 0 = never split.</summary>
    private (int? Messages, long? Bytes) CommitEvery()
    {
        if (!items.TryGetValue("commit-every", out var value))
        {
            return (null, null);
        }

        if (!value.IsObject())
        {
            Error("commit-every", "must be an object: commit-every { messages = 500, bytes = 100m } (0 and 0 = never)");
            return (null, null);
        }

        var inner = new AccountReader(value.GetObject().Items, $"{Where}: commit-every", errors);
        foreach (var key in value.GetObject().Items.Keys.Where(k => k is not ("messages" or "bytes")))
        {
            inner.Error(key, "unknown key (commit-every takes messages and bytes)");
        }

        return (inner.Int("messages", 0, 1_000_000), inner.ByteSize("bytes"));
    }

    /// <summary>A size such as 10m, 512k, 1g or a plain number of bytes; 0 = none.</summary>
    private long? ByteSize(string key)
    {
        if (!items.TryGetValue(key, out var value))
        {
            return null;
        }

        long? size = null;
        try
        {
            size = value.IsString() ? value.GetByteSize() : null;
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or NotSupportedException)
        {
        }

        if (size is not long bytes || bytes < 0)
        {
            Error(key, $"'{Show(value)}' is not a size (e.g. 10m, 512k, 1g, or a number of bytes; 0 = no limit)");
            return null;
        }

        return bytes;
    }

    private T? Enum<T>(string key, params (string Name, T Value)[] options)
        where T : struct
    {
        if (!items.TryGetValue(key, out var value))
        {
            return null;
        }

        var text = value.IsString() ? value.GetString().Trim().ToLowerInvariant() : "";
        foreach (var option in options)
        {
            if (option.Name == text)
            {
                return option.Value;
            }
        }

        Error(key, $"'{Show(value)}' is not one of {string.Join(", ", options.Select(o => o.Name))}");
        return null;
    }

    private void Error(string key, string problem) => errors.Add($"{Where}: {key}: {problem}");
}
