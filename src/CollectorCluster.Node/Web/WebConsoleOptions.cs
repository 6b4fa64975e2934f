using CollectorCluster.Node.Configuration;
using Akka.Configuration.Hocon;
using Config = Akka.Configuration.Config;

namespace CollectorCluster.Node.Web;

/// <summary>
/// The web console (<c>collector.web</c>): off unless a port is set; loopback by default, and any other address
/// needs TLS (as the command host). Who may log in: the users listed with password hashes, and, unless
/// <see cref="TokenLogin"/> is off, anyone holding the node's command-host token.
/// </summary>
/// <param name="Hostname">The address to bind.</param>
/// <param name="Port">The TCP port; 0: no console.</param>
public sealed record WebConsoleOptions(string Hostname, int Port)
{
    private static readonly string[] Keys =
        ["hostname", "port", "tls", "users", "token-login", "session-timeout", "failed-login-delay", "failed-login-max-delay", "refresh", "max-connections"];

    /// <summary>No console (the default).</summary>
    public static readonly WebConsoleOptions Off = new("127.0.0.1", 0);

    /// <summary>True when the console should run.</summary>
    public bool Enabled => Port != 0;

    /// <summary>The certificate; null: plain HTTP (loopback only).</summary>
    public PemCertificate? Tls { get; init; }

    /// <summary>The console's users.</summary>
    public IReadOnlyList<WebUser> Users { get; init; } = [];

    /// <summary>The node's command-host token is accepted as a login (name left empty).</summary>
    public bool TokenLogin { get; init; } = true;

    /// <summary>How long a login lasts without use.</summary>
    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromHours(8);

    /// <summary>After a failed login, that address waits this long, doubled per further failure.</summary>
    public TimeSpan FailedLoginDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait after failed logins.</summary>
    public TimeSpan FailedLoginMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the live account list is read while a page follows it.</summary>
    public TimeSpan Refresh { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Open connections at most.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>True when the bound address is loopback.</summary>
    public bool IsLoopback => StrictSection.IsLoopback(Hostname);

    /// <summary>Reads and validates <c>collector.web</c>; relative files are relative to <paramref name="configDirectory"/>.</summary>
    public static WebConsoleOptions FromConfig(Config config, string configDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        StrictSection.Unknown(config, "collector.web", Keys);
        StrictSection.Unknown(config, "collector.web.tls", ["certificate-file", "key-file"]);
        var hostname = StrictSection.Hostname(config, "collector.web.hostname", "127.0.0.1");
        var port = StrictSection.Port(config, "collector.web.port", "turns the console off");
        var certificate = config.GetString("collector.web.tls.certificate-file", "");
        var key = config.GetString("collector.web.tls.key-file", "");
        if (string.IsNullOrWhiteSpace(certificate) != string.IsNullOrWhiteSpace(key))
        {
            throw new ConfigurationException("collector.web.tls: give both certificate-file and key-file (PEM), or neither");
        }

        var options = new WebConsoleOptions(hostname, port)
        {
            Tls = string.IsNullOrWhiteSpace(certificate) ? null : new PemCertificate("collector.web.tls", Path.GetFullPath(certificate, configDirectory), Path.GetFullPath(key, configDirectory)),
            Users = ReadUsers(config),
            TokenLogin = config.GetBoolean("collector.web.token-login", true),
            SessionTimeout = StrictSection.Duration(config, "collector.web.session-timeout", TimeSpan.FromHours(8)),
            FailedLoginDelay = StrictSection.Duration(config, "collector.web.failed-login-delay", TimeSpan.FromSeconds(1)),
            FailedLoginMaxDelay = StrictSection.Duration(config, "collector.web.failed-login-max-delay", TimeSpan.FromMinutes(5)),
            Refresh = StrictSection.Duration(config, "collector.web.refresh", TimeSpan.FromSeconds(2)),
            MaxConnections = StrictSection.Positive(config, "collector.web.max-connections", 256),
        };
        if (options.FailedLoginMaxDelay < options.FailedLoginDelay)
        {
            throw new ConfigurationException("collector.web.failed-login-max-delay: shorter than failed-login-delay");
        }

        if (options.Enabled && !options.IsLoopback && options.Tls is null)
        {
            throw new ConfigurationException(
                $"collector.web.hostname: '{hostname}' is not a loopback address; set collector.web.tls {{ certificate-file, key-file }} so logins and sessions cross the network encrypted");
        }

        if (options.Enabled && options.Users.Count == 0 && !options.TokenLogin)
        {
            throw new ConfigurationException("collector.web: no way to log in: list users { name, password-hash } or leave token-login on");
        }

        return options;
    }

    private static List<WebUser> ReadUsers(Config config)
    {
        if (!config.HasPath("collector.web.users"))
        {
            return [];
        }

        var value = config.GetValue("collector.web.users");
        // Akka's parser keeps `[]` as an array plus a whitespace element, which IsArray() rejects: no users.
        var emptyList = value.IsEmpty || (!value.IsArray() && value.Values.OfType<HoconArray>().Any() && value.GetArray().All(i => i.IsEmpty));
        var items = emptyList ? [] : value.IsArray() ? value.GetArray().Where(i => !i.IsEmpty).ToList() : null;
        if (items is null)
        {
            throw new ConfigurationException("collector.web.users: must be a list: users = [ { name = admin, password-hash = \"pbkdf2-sha256$...\" } ]");
        }

        var users = new List<WebUser>();
        for (var i = 0; i < items.Count; i++)
        {
            var where = $"collector.web.users[{i}]";
            if (!items[i].IsObject())
            {
                throw new ConfigurationException($"{where}: must be an object {{ name = ..., password-hash = ... }}");
            }

            var fields = items[i].GetObject().Items;
            foreach (var key in fields.Keys.Where(k => k is not ("name" or "password-hash")))
            {
                throw new ConfigurationException($"{where}.{key}: unknown key (known: name, password-hash; a password is never stored, only its hash from collector hash-password)");
            }

            var name = fields.TryGetValue("name", out var n) ? n.GetString()?.Trim() ?? "" : "";
            var hash = fields.TryGetValue("password-hash", out var h) ? h.GetString()?.Trim() ?? "" : "";
            if (name.Length is 0 or > 64 || name.Any(c => c <= ' ' || c > '~'))
            {
                throw new ConfigurationException($"{where}.name: must be 1 to 64 printable characters without spaces");
            }

            if (PasswordHash.Problem(hash) is { } problem)
            {
                throw new ConfigurationException($"{where}.password-hash: {problem}");
            }

            if (users.Any(u => u.Name == name))
            {
                throw new ConfigurationException($"{where}.name: '{name}' is listed twice");
            }

            users.Add(new WebUser(name, hash));
        }

        return users;
    }
}
