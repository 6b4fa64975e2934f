namespace CollectorCluster.Core.Migration;

/// <summary>
/// Turns a peer's way of delivering into one of our mailbox specs, shared by the three readers: a delivery program
/// (run without a shell, so pipelines and redirections do not carry over), LMTP/SMTP with a recipient, a Maildir.
/// </summary>
public static class PeerDelivery
{
    private static readonly char[] ShellCharacters = ['|', ';', '&', '$', '<', '>', '`', '(', ')', '*', '?', '~'];

    /// <summary>
    /// <c>mda:</c> for a command line, with <paramref name="substitutions"/> applied (e.g. fetchmail's <c>%T</c>); null and
    /// the reason when it cannot be run without a shell, names a placeholder left unsubstituted, or its program is not an
    /// absolute path.
    /// </summary>
    public static (string? Spec, string? Problem) Mda(string command, IReadOnlyDictionary<string, string> substitutions, IReadOnlyList<string> unsupported)
    {
        ArgumentNullException.ThrowIfNull(command);
        var text = command.Trim();
        foreach (var placeholder in unsupported.Where(p => text.Contains(p, StringComparison.Ordinal)))
        {
            return (null, $"the delivery command \"{command}\" uses {placeholder}, which the collector cannot fill in (it runs the program with the message on standard input and nothing else)");
        }

        foreach (var (placeholder, value) in substitutions)
        {
            text = text.Replace(placeholder, value, StringComparison.Ordinal);
        }

        if (text.IndexOfAny(ShellCharacters) >= 0)
        {
            return (null, $"the delivery command \"{command}\" needs a shell (pipes, redirections, variables or globs); the collector runs programs without one: wrap it in a script and use mda:/path/to/script");
        }

        if (!text.StartsWith('/'))
        {
            return (null, $"the delivery command \"{command}\" does not start with an absolute program path; give mda:/absolute/path args");
        }

        return ("mda:" + text, null);
    }

    /// <summary><c>lmtp:</c> or <c>smtp:</c> to <paramref name="host"/> (a Unix socket when it starts with <c>/</c>) for one recipient.</summary>
    public static string Relay(bool lmtp, string host, int port, string recipient)
    {
        ArgumentException.ThrowIfNullOrEmpty(host);
        var scheme = lmtp ? "lmtp" : "smtp";
        var location = host.StartsWith('/') ? "unix:" + host : $"{host}:{port}";
        return $"{scheme}:{location}?rcpt={Uri.EscapeDataString(recipient).Replace("%40", "@", StringComparison.Ordinal)}";
    }

    /// <summary><c>maildir:</c> for a directory (its trailing slash dropped).</summary>
    public static string Maildir(string path) => "maildir:" + (path.Length > 1 ? path.TrimEnd('/') : path);
}
