using System.Globalization;
using System.Net;
using Akka.Configuration.Hocon;
using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// What a node's configuration leaves open, said at start (in the log) and by <c>collector check</c>: secret files
/// that other users can read or write (password files, the node key, the command host's token file and TLS key,
/// and the node file itself when it holds a password, token, OAuth2 secret or database password), and accounts
/// that log in to a POP3 server off this machine without TLS. Warnings, not errors: the node still runs.
/// </summary>
public static class SecurityWarnings
{
    private const UnixFileMode OthersCanTouch =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    /// <summary>Every warning for <paramref name="options"/>, in a stable order.</summary>
    public static IReadOnlyList<string> For(CollectorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var warnings = new List<string>();
        foreach (var (id, passwordFile) in options.SecretSources.PasswordFiles)
        {
            File(warnings, $"account '{id}': password-file", passwordFile);
        }

        var nodeFileSecrets = new List<string>(options.SecretSources.InFile);
        if (options.CommandHost.Token is not null)
        {
            nodeFileSecrets.Add("collector.command-host.token");
        }

        if (options.Journal.ConnectionString.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            nodeFileSecrets.Add("the journal's connection-string password");
        }

        if (nodeFileSecrets.Count > 0)
        {
            File(warnings, $"the node file (it holds {string.Join(", ", nodeFileSecrets)})", options.ConfigFile);
        }

        File(warnings, "collector.secrets.key-file", options.KeyFile);
        if (options.CommandHost.Enabled && options.CommandHost.Token is null)
        {
            File(warnings, "collector.command-host.token-file", options.CommandHost.TokenFile);
        }

        if (options.CommandHost.Tls is { } tls)
        {
            File(warnings, "collector.command-host.tls.key-file", tls.KeyFile);
        }

        foreach (var account in options.Accounts.Where(a => a.Ssl == TlsMode.None && !IsLoopback(a.Pop3Server)))
        {
            var login = account.Auth is AuthMethod.UserPass or AuthMethod.Plain or AuthMethod.Login
                ? $"its password (auth = {Name(account.Auth)}) and its mail cross the network in clear"
                : $"its mail crosses the network in clear (auth = {Name(account.Auth)} does not send the password itself)";
            warnings.Add($"account '{account.Id}': logs in to {account.Pop3Server}:{account.Port} without TLS (ssl = none): {login}; set ssl = implicit or starttls");
        }

        return warnings;
    }

    /// <summary>
    /// Where the node file's accounts (<c>collector.accounts</c>, as parsed) take their secrets from: their password
    /// files (resolved against <paramref name="directory"/>) and the secrets written in the file, by name only.
    /// </summary>
    public static AccountSecretSources SecretSources(HoconValue? accounts, string directory)
    {
        if (accounts is null || !accounts.IsArray())
        {
            return AccountSecretSources.None;
        }

        var passwordFiles = new List<(string Id, string Path)>();
        var inFile = new List<string>();
        foreach (var item in accounts.GetArray().Where(i => i.IsObject()))
        {
            var keys = item.GetObject().Items;
            var id = Text(keys, "id") ?? "?";
            if (Text(keys, "password-file") is { } passwordFile)
            {
                passwordFiles.Add((id, Path.GetFullPath(passwordFile, directory)));
            }

            if (Text(keys, "password") is not null)
            {
                inFile.Add($"account '{id}' password");
            }

            if (keys.TryGetValue("oauth2", out var oauth2) && oauth2.IsObject())
            {
                inFile.AddRange(new[] { "client-secret", "refresh-token" }
                    .Where(k => Text(oauth2.GetObject().Items, k) is not null)
                    .Select(k => $"account '{id}' oauth2.{k}"));
            }
        }

        return new AccountSecretSources(passwordFiles, inFile);
    }

    /// <summary>A warning when the file exists and anyone but its owner may read or write it.</summary>
    private static void File(List<string> warnings, string what, string path)
    {
        if (OperatingSystem.IsWindows() || !System.IO.File.Exists(path))
        {
            return;
        }

        UnixFileMode mode;
        try
        {
            mode = System.IO.File.GetUnixFileMode(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        if ((mode & OthersCanTouch) != 0)
        {
            var who = (mode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0 ? "every user" : "its group";
            warnings.Add($"{what}: {path} can be read or written by {who} (mode {Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0')}); chmod 600 {path}");
        }
    }

    private static string? Text(IReadOnlyDictionary<string, HoconValue> keys, string key) =>
        keys.TryGetValue(key, out var value) && value.IsString() && value.GetString() is { Length: > 0 } text ? text : null;

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));

    private static string Name(AuthMethod method) => method switch
    {
        AuthMethod.UserPass => "user-pass",
        AuthMethod.CramMd5 => "cram-md5",
        AuthMethod.ScramSha256 => "scram-sha-256",
        _ => method.ToString().ToLower(CultureInfo.InvariantCulture),
    };
}
