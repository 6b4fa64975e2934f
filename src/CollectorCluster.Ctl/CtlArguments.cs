namespace CollectorCluster.Ctl;

/// <summary>
/// collectorctl's command line, parsed: where to connect, how to authenticate, and the command words left over.
/// Every mistake is a usage error (exit 2) that names the option.
/// </summary>
internal sealed record CtlArguments(
    string Address,
    string Host,
    int Port,
    bool Tls,
    string? Pin,
    string? TokenOption,
    string? TokenFileOption,
    string? Password,
    bool Json,
    List<string> Words)
{
    /// <summary>Parses the arguments; reads the password from stdin or its file when asked to.</summary>
    public static CtlArguments Parse(IEnumerable<string> args)
    {
        var words = args.ToList();
        var json = words.Remove("--json");
        var tokenOption = TakeValue(words, "--token");
        var tokenFileOption = TakeValue(words, "--token-file");
        var pin = TakeValue(words, "--tls-pin") ?? NonEmpty(Environment.GetEnvironmentVariable("COLLECTORCTL_TLS_PIN"));
        if (tokenOption is not null && tokenFileOption is not null)
        {
            throw new CtlException(2, "give --token or --token-file, not both");
        }

        var password = ReadPassword(words);
        var address = CtlProgram.DefaultAddress;
        if (words.Count > 0 && words[0].Contains(':', StringComparison.Ordinal))
        {
            address = words[0];
            words.RemoveAt(0);
        }

        // tls://host:port speaks TLS (checked against the system's trust store); --tls-pin implies it.
        var tls = address.StartsWith(CtlProgram.TlsScheme, StringComparison.OrdinalIgnoreCase);
        if (!TryParseAddress(tls ? address[CtlProgram.TlsScheme.Length..] : address, out var host, out var port))
        {
            throw new CtlException(2, $"'{address}' is not host:port or tls://host:port");
        }

        return new CtlArguments(address, host, port, tls || pin is not null, pin, tokenOption, tokenFileOption, password, json, words);
    }

    // A password never travels as a command word (it would show in ps and history): read here, sent as its own field.
    private static string? ReadPassword(List<string> words)
    {
        string? password = null;
        if (words.Remove("--password-stdin"))
        {
            password = Console.In.ReadLine()?.TrimEnd('\r', '\n');
            if (string.IsNullOrEmpty(password))
            {
                throw new CtlException(2, "--password-stdin: no password on stdin");
            }
        }

        if (TakeValue(words, "--password-file") is not { } passwordFile)
        {
            return password;
        }

        if (password is not null)
        {
            throw new CtlException(2, "--password-file excludes --password-stdin");
        }

        try
        {
            return File.ReadAllText(passwordFile).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CtlException(2, $"--password-file {passwordFile}: {e.Message}");
        }
    }

    /// <summary>Removes <c>NAME VALUE</c> from the words and returns the value; null when absent; a usage error when the value is missing.</summary>
    private static string? TakeValue(List<string> words, string name)
    {
        var at = words.IndexOf(name);
        if (at < 0)
        {
            return null;
        }

        if (at + 1 >= words.Count)
        {
            throw new CtlException(2, $"{name} needs a value");
        }

        var value = words[at + 1];
        words.RemoveRange(at, 2);
        return value;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static bool TryParseAddress(string address, out string host, out int port)
    {
        var colon = address.LastIndexOf(':');
        host = colon > 0 ? address[..colon] : "";
        port = 0;
        return colon > 0 && int.TryParse(address[(colon + 1)..], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
    }
}
