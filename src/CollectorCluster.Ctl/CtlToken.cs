using CollectorCluster.Wire;

namespace CollectorCluster.Ctl;

/// <summary>
/// Where collectorctl gets the command host's token, first found wins: <c>--token T</c>, <c>--token-file F</c>,
/// <c>COLLECTORCTL_TOKEN</c>, <c>COLLECTORCTL_TOKEN_FILE</c>, then the token file a node with the default state
/// directory writes on this machine (<c>$XDG_STATE_HOME/collector-cluster/command-host.token</c>, else
/// <c>~/.local/state/collector-cluster/command-host.token</c>). A node with another state directory keeps it at
/// <c>&lt;state-directory&gt;/command-host.token</c>: give that with <c>--token-file</c> or <c>COLLECTORCTL_TOKEN_FILE</c>.
/// </summary>
/// <param name="Token">The token; null when none was found (the node then refuses, and the error says where to look).</param>
/// <param name="Source">Where it came from (or where collectorctl looked), for messages; never the token itself.</param>
public sealed record CtlToken(string? Token, string Source)
{
    /// <summary>The environment variable holding a token.</summary>
    public const string TokenVariable = "COLLECTORCTL_TOKEN";

    /// <summary>The environment variable naming a token file.</summary>
    public const string TokenFileVariable = "COLLECTORCTL_TOKEN_FILE";

    /// <summary>The token file of a node with the default state directory on this machine.</summary>
    public static string DefaultFile(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var state = environment("XDG_STATE_HOME");
        if (string.IsNullOrEmpty(state))
        {
            var home = environment("HOME");
            state = Path.Combine(string.IsNullOrEmpty(home) ? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) : home, ".local", "state");
        }

        return Path.Combine(state, "collector-cluster", CommandWire.TokenFileName);
    }

    /// <summary>Finds the token; throws <see cref="IOException"/> naming the file when a named file cannot be read or holds no token.</summary>
    /// <param name="option">The value of <c>--token</c>, if given.</param>
    /// <param name="fileOption">The value of <c>--token-file</c>, if given.</param>
    /// <param name="environment">Reads environment variables.</param>
    public static CtlToken Find(string? option, string? fileOption, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (option is not null)
        {
            return new CtlToken(option, "--token");
        }

        if (fileOption is not null)
        {
            return new CtlToken(Read(fileOption), fileOption);
        }

        if (environment(TokenVariable) is { Length: > 0 } token)
        {
            return new CtlToken(token, TokenVariable);
        }

        if (environment(TokenFileVariable) is { Length: > 0 } file)
        {
            return new CtlToken(Read(file), file);
        }

        var fallback = DefaultFile(environment);
        return File.Exists(fallback) ? new CtlToken(Read(fallback), fallback) : new CtlToken(null, fallback);
    }

    private static string Read(string file)
    {
        string token;
        try
        {
            token = File.ReadAllText(file).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot read the token file {file}: {e.Message}", e);
        }

        return token.Length > 0 && !token.Any(char.IsWhiteSpace) ? token : throw new IOException($"the token file {file} holds no token");
    }
}
