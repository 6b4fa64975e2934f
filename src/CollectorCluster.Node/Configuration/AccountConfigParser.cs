using System.Text.RegularExpressions;
using Akka.Configuration.Hocon;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Planning;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// Reads <c>collector.accounts</c> strictly: unknown keys, missing keys and bad values are errors naming the
/// account, the key and the problem, found before anything connects.
/// </summary>
public static partial class AccountConfigParser
{
    private static readonly string[] KnownKeys =
    [
        "id", "pop3-server", "port", "pop3-account", "password", "password-file", "password-env", "ssl",
        "verify-certificate", "certificate-sha256", "auth", "leave-mail-on-server", "delete-after-days",
        "mirror-mailbox", "local-area-network", "download-smallest-first", "check-every", "mailbox",
        "priority", "enabled", "connect-timeout", "command-timeout", "oauth2",
        "max-message-size", "oversize", "commit-every", "mirror-max-share",
    ];

    /// <summary>Parses every account; throws one <see cref="ConfigurationException"/> listing all problems.</summary>
    /// <param name="accounts">The <c>collector.accounts</c> array (null when absent).</param>
    /// <param name="configDirectory">Base for relative password files and maildir paths.</param>
    /// <param name="environment">Reads environment variables (injected for tests).</param>
    public static IReadOnlyList<AccountSettings> Parse(HoconValue? accounts, string configDirectory, Func<string, string?> environment)
    {
        if (accounts is null || accounts.IsEmpty)
        {
            return [];
        }

        // Akka's parser keeps `[]` as an array plus a whitespace element, which IsArray() rejects: an empty list is fine.
        if (!accounts.IsArray() && accounts.Values.OfType<HoconArray>().Any() && accounts.GetArray().All(i => i.IsEmpty))
        {
            return [];
        }

        if (!accounts.IsArray())
        {
            throw new ConfigurationException("collector.accounts must be a list of account objects: accounts = [ { id = ..., ... } ]");
        }

        var errors = new List<string>();
        var result = new List<AccountSettings>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        // Akka's parser turns the blank inside `[ ]` into an empty element: not an account.
        foreach (var item in accounts.GetArray().Where(i => !i.IsEmpty))
        {
            var where = $"collector.accounts[{index}]";
            index++;
            if (!item.IsObject())
            {
                errors.Add($"{where}: expected an object {{ id = ..., pop3-server = ..., ... }}");
                continue;
            }

            var reader = new AccountReader(item.GetObject(), where, errors);
            var account = reader.Read(configDirectory, environment);
            if (account is null)
            {
                continue;
            }

            if (!ids.Add(account.Id))
            {
                errors.Add($"{reader.Where}: id '{account.Id}' is used by another account; ids must be unique");
                continue;
            }

            result.Add(account);
        }

        if (errors.Count > 0)
        {
            throw new ConfigurationException("Invalid account configuration:" + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", errors));
        }

        return result;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[0-9A-Fa-f]{2}(:?[0-9A-Fa-f]{2}){31}$")]
    private static partial Regex Sha256Pattern();

    /// <summary>Reads one account object, collecting every problem rather than stopping at the first.</summary>
    private sealed class AccountReader(HoconObject obj, string where, List<string> errors)
    {
        public string Where { get; private set; } = where;

        public AccountSettings? Read(string configDirectory, Func<string, string?> environment)
        {
            var before = errors.Count;
            var id = String("id", required: true);
            if (id is not null)
            {
                if (!IdPattern().IsMatch(id))
                {
                    Error("id", $"'{id}' is not a valid id (letters, digits, '.', '_', '-'; at most 64; starts with a letter or digit)");
                }

                Where = $"{Where} (id = {id})";
            }

            foreach (var key in obj.Items.Keys)
            {
                if (!KnownKeys.Contains(key))
                {
                    var hint = KnownKeys.OrderBy(k => Core.Commands.DidYouMean.Distance(k, key)).First();
                    Error(key, $"unknown key (did you mean '{hint}'?)");
                }
            }

            var server = String("pop3-server", required: true);
            var user = String("pop3-account", required: true);
            var mailbox = String("mailbox", required: true);
            if (mailbox is not null)
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
            var ssl = Enum("ssl", TlsMode.None, ("none", TlsMode.None), ("starttls", TlsMode.StartTls), ("implicit", TlsMode.Implicit));
            var port = Int("port", ssl == TlsMode.Implicit ? 995 : 110, 1, 65535);
            var auth = Enum(
                "auth", AuthMethod.UserPass, ("user-pass", AuthMethod.UserPass), ("apop", AuthMethod.Apop), ("plain", AuthMethod.Plain),
                ("login", AuthMethod.Login), ("cram-md5", AuthMethod.CramMd5), ("scram-sha-256", AuthMethod.ScramSha256),
                ("xoauth2", AuthMethod.XOAuth2), ("oauthbearer", AuthMethod.OAuthBearer));
            // OAuth2 accounts log in with access tokens refreshed from oauth2 { ... }; a password would be unused.
            var oauth = auth is AuthMethod.XOAuth2 or AuthMethod.OAuthBearer;
            var password = oauth ? NoPassword() : Password(configDirectory, environment);
            var oauth2 = oauth ? OAuth2ConfigReader.Read(obj.Items.GetValueOrDefault("oauth2"), Where, errors) : null;
            if (!oauth && obj.Items.ContainsKey("oauth2"))
            {
                Error("oauth2", "only used with auth = xoauth2 or oauthbearer");
            }

            var pin = String("certificate-sha256", required: false);
            if (pin is not null && !Sha256Pattern().IsMatch(pin))
            {
                Error("certificate-sha256", "must be 64 hex digits (colons allowed), the SHA-256 of the certificate's DER");
            }

            var leave = Bool("leave-mail-on-server", false);
            int? deleteAfter = obj.Items.ContainsKey("delete-after-days") ? Int("delete-after-days", 0, 1, 36500) : null;
            if (deleteAfter is not null && !leave)
            {
                Error("delete-after-days", "only applies with leave-mail-on-server = on (without it, mail is deleted as soon as it is collected)");
            }

            // Accepted keys whose behaviour is not built yet are refused rather than silently ignored.
            if (Bool("mirror-mailbox", false))
            {
                if (!leave)
                {
                    Error("mirror-mailbox", "needs leave-mail-on-server = on (without it every collected message is deleted on the server, so there is nothing to mirror)");
                }

                if (mailbox is not null && !mailbox.StartsWith("maildir:", StringComparison.Ordinal))
                {
                    Error("mirror-mailbox", $"needs a maildir: mailbox (the collector must see what the user deleted); {mailbox} cannot be mirrored");
                }
            }

            var mirrorShare = Share("mirror-max-share", 0.5);

            var checkEvery = Duration("check-every", TimeSpan.FromMinutes(10), minutesWhenNumber: true);
            if (checkEvery < TimeSpan.FromSeconds(10))
            {
                Error("check-every", "must be at least 10 seconds");
            }

            var settings = new AccountSettings
            {
                Id = id ?? "",
                Pop3Server = server ?? "",
                Port = port,
                Pop3Account = user ?? "",
                Password = password ?? new Secret(""),
                Ssl = ssl,
                VerifyCertificate = Bool("verify-certificate", true),
                CertificateSha256 = pin,
                Auth = auth,
                LeaveMailOnServer = leave,
                DeleteAfterDays = deleteAfter,
                MirrorMailbox = Bool("mirror-mailbox", false),
                MirrorMaxShare = mirrorShare,
                LocalAreaNetwork = Bool("local-area-network", true),
                DownloadSmallestFirst = Bool("download-smallest-first", true),
                CheckEvery = checkEvery,
                Mailbox = ResolveMailbox(mailbox, configDirectory),
                Priority = Int("priority", 0, -1000, 1000),
                Enabled = Bool("enabled", true),
                ConnectTimeout = Duration("connect-timeout", TimeSpan.FromSeconds(30), minutesWhenNumber: false),
                CommandTimeout = Duration("command-timeout", TimeSpan.FromSeconds(60), minutesWhenNumber: false),
                MaxMessageSize = ByteSize("max-message-size"),
                CommitEvery = CommitEveryLimit(),
                Oversize = Enum("oversize", OversizeHandling.Skip, ("skip", OversizeHandling.Skip), ("postpone", OversizeHandling.Postpone)),
                OAuth2 = oauth2,
            };

            return errors.Count == before ? settings : null;
        }

        private Secret NoPassword()
        {
            foreach (var key in new[] { "password", "password-file", "password-env" }.Where(obj.Items.ContainsKey))
            {
                Error(key, "not used with auth = xoauth2 or oauthbearer (the oauth2 section's refresh-token is the credential)");
            }

            return new Secret("");
        }

        private Secret? Password(string configDirectory, Func<string, string?> environment)
        {
            var given = new[] { "password", "password-file", "password-env" }.Where(obj.Items.ContainsKey).ToList();
            if (given.Count != 1)
            {
                Error(given.Count == 0 ? "password" : string.Join("/", given), "give exactly one of password, password-file, password-env");
                return null;
            }

            var value = String(given[0], required: true);
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

        private static string ResolveMailbox(string? mailbox, string configDirectory)
        {
            const string maildir = "maildir:";
            if (mailbox is not null && mailbox.StartsWith(maildir, StringComparison.Ordinal) && !Path.IsPathRooted(mailbox[maildir.Length..]))
            {
                return maildir + Path.GetFullPath(mailbox[maildir.Length..], configDirectory);
            }

            return mailbox ?? "";
        }

        private string? String(string key, bool required)
        {
            if (!obj.Items.TryGetValue(key, out var value) || value.IsEmpty)
            {
                if (required)
                {
                    Error(key, "is required");
                }

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

        private bool Bool(string key, bool fallback)
        {
            if (!obj.Items.TryGetValue(key, out var value))
            {
                return fallback;
            }

            switch (value.IsString() ? value.GetString().Trim().ToLowerInvariant() : "")
            {
                case "on" or "true" or "yes":
                    return true;
                case "off" or "false" or "no":
                    return false;
                default:
                    Error(key, $"'{Show(value)}' is not a boolean (on/off, true/false, yes/no)");
                    return fallback;
            }
        }

        private int Int(string key, int fallback, int min, int max)
        {
            if (!obj.Items.TryGetValue(key, out var value))
            {
                return fallback;
            }

            if (!value.IsString() || !int.TryParse(value.GetString().Trim(), out var number))
            {
                Error(key, $"'{Show(value)}' is not a whole number");
                return fallback;
            }

            if (number < min || number > max)
            {
                Error(key, $"{number} is out of range ({min} to {max})");
                return fallback;
            }

            return number;
        }

        private TimeSpan Duration(string key, TimeSpan fallback, bool minutesWhenNumber)
        {
            if (!obj.Items.TryGetValue(key, out var value))
            {
                return fallback;
            }

            var text = value.IsString() ? value.GetString().Trim() : "";
            if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number))
            {
                if (number <= 0)
                {
                    Error(key, "must be positive");
                    return fallback;
                }

                return minutesWhenNumber ? TimeSpan.FromMinutes(number) : TimeSpan.FromSeconds(number);
            }

            try
            {
                var span = value.GetTimeSpan();
                if (span <= TimeSpan.Zero)
                {
                    Error(key, "must be positive");
                    return fallback;
                }

                return span;
            }
            catch (Exception e) when (e is FormatException or OverflowException or ArgumentException or NotSupportedException)
            {
                Error(key, $"'{Show(value)}' is not a duration (e.g. 10 for minutes, or 90s, 7m, 1h)");
                return fallback;
            }
        }

        /// <summary>A share in (0, 1], e.g. 0.5.</summary>
        private double Share(string key, double fallback)
        {
            if (!obj.Items.TryGetValue(key, out var value))
            {
                return fallback;
            }

            var text = value.IsString() ? value.GetString().Trim() : "";
            if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var share) || !(share > 0 && share <= 1))
            {
                Error(key, $"'{Show(value)}' is not a share between 0 (exclusive) and 1, e.g. 0.5");
                return fallback;
            }

            return share;
        }

        /// <summary><c>commit-every { messages = 500, bytes = 100m }</c>: either may be omitted (default kept); 0 and 0 = never split.</summary>
        private CommitEvery CommitEveryLimit()
        {
            if (!obj.Items.TryGetValue("commit-every", out var value))
            {
                return Core.Planning.CommitEvery.Default;
            }

            if (!value.IsObject())
            {
                Error("commit-every", "must be an object: commit-every { messages = 500, bytes = 100m } (0 and 0 = never)");
                return Core.Planning.CommitEvery.Default;
            }

            var inner = new AccountReader(value.GetObject(), $"{Where}: commit-every", errors);
            foreach (var key in value.GetObject().Items.Keys.Where(k => k is not ("messages" or "bytes")))
            {
                inner.Error(key, "unknown key (commit-every takes messages and bytes)");
            }

            var messages = value.GetObject().Items.ContainsKey("messages") ? inner.Int("messages", 0, 0, 1_000_000) : Core.Planning.CommitEvery.Default.Messages;
            var bytes = value.GetObject().Items.ContainsKey("bytes") ? inner.ByteSize("bytes") : Core.Planning.CommitEvery.Default.Bytes;
            return new Core.Planning.CommitEvery(messages, bytes);
        }

        /// <summary>A size such as 10m, 512k, 1g or a plain number of bytes; absent or 0 = none.</summary>
        private long ByteSize(string key)
        {
            if (!obj.Items.TryGetValue(key, out var value))
            {
                return 0;
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
                return 0;
            }

            return bytes;
        }

        private T Enum<T>(string key, T fallback, params (string Name, T Value)[] options)
        {
            if (!obj.Items.TryGetValue(key, out var value))
            {
                return fallback;
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
            return fallback;
        }

        private static string Show(HoconValue value) => value.IsString() ? value.GetString() : value.ToString();

        private void Error(string key, string problem) => errors.Add($"{Where}: {key}: {problem}");
    }
}
