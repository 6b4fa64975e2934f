using System.Net;
using Config = Akka.Configuration.Config;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Wire;
using static CollectorCluster.Node.Configuration.StrictSection;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// Where the operator command host listens and how it lets anyone in (<c>collector.command-host</c>). Always
/// authenticated: every request carries a token, either the one the node file sets or, by default, one generated
/// at first start into <see cref="TokenFile"/> (0600), which collectorctl on the same machine reads by itself.
/// Loopback by default; any other address also needs TLS, so the token never crosses a network in clear. Every
/// connection is bounded: a cap on connections, handshake and idle timeouts, and a growing delay for a peer after
/// failed token attempts.
/// </summary>
/// <param name="Hostname">The address to bind.</param>
/// <param name="Port">The TCP port; 0 disables the command host.</param>
/// <param name="Token">The token the node file sets; null: the generated one in <see cref="TokenFile"/>.</param>
public sealed record CommandHostOptions(string Hostname, int Port, string? Token)
{
    /// <summary>The shortest token a node file may set (a generated one has 256 random bits).</summary>
    public const int MinTokenLength = 32;

    private static readonly string[] Keys =
        ["hostname", "port", "token", "token-file", "tls", "max-connections", "handshake-timeout", "idle-timeout", "failed-auth-delay", "failed-auth-max-delay"];

    private static readonly string[] TlsKeys = ["certificate-file", "key-file"];

    /// <summary>True when the command host should run.</summary>
    public bool Enabled => Port != 0;

    /// <summary>The generated token's file (<c>token-file</c>, default <c>&lt;state-directory&gt;/command-host.token</c>); used when <see cref="Token"/> is null.</summary>
    public string TokenFile { get; init; } = CommandWire.TokenFileName;

    /// <summary>The certificate the command host serves TLS with; null: plain TCP (loopback only).</summary>
    public PemCertificate? Tls { get; init; }

    /// <summary>Open connections at most; one more is answered with an error and closed.</summary>
    public int MaxConnections { get; init; } = 256;

    /// <summary>How long a new connection may take for its TLS handshake and its first request line.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a connection may wait between requests before it is closed.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a peer waits after its first failed token attempt; doubled per further failure.</summary>
    public TimeSpan FailedAuthDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a peer waits after failed token attempts.</summary>
    public TimeSpan FailedAuthMaxDelay { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>True when the bound address is loopback (only this machine can connect).</summary>
    public bool IsLoopback => Hostname == "localhost" || (IPAddress.TryParse(Hostname, out var address) && IPAddress.IsLoopback(address));

    /// <summary>Reads the section with paths relative to the current directory (tests of the section alone).</summary>
    public static CommandHostOptions FromConfig(Config config) => FromConfig(config, Environment.CurrentDirectory, Environment.CurrentDirectory);

    /// <summary>
    /// Reads and validates the section; relative files are relative to <paramref name="configDirectory"/>, the token
    /// file defaults into <paramref name="stateDirectory"/>. Throws <see cref="ConfigurationException"/> naming the key.
    /// </summary>
    public static CommandHostOptions FromConfig(Config config, string configDirectory, string stateDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        Unknown(config, "collector.command-host", Keys);
        Unknown(config, "collector.command-host.tls", TlsKeys);
        var hostname = config.GetString("collector.command-host.hostname", CommandWire.DefaultHostname).Trim();
        var port = config.GetInt("collector.command-host.port", CommandWire.DefaultPort);
        var token = config.GetString("collector.command-host.token", "");
        if (port is < 0 or > 65535)
        {
            throw new ConfigurationException($"collector.command-host.port: {port} is not a TCP port (0 disables the command host)");
        }

        if (!IPAddress.TryParse(hostname, out _) && hostname != "localhost")
        {
            throw new ConfigurationException($"collector.command-host.hostname: '{hostname}' is not an IP address or localhost");
        }

        if (token.Length > 0 && (token.Length < MinTokenLength || token.Any(c => c <= ' ' || c > '~')))
        {
            throw new ConfigurationException(
                $"collector.command-host.token: must be at least {MinTokenLength} printable characters without spaces (or empty: the node generates one into the token file)");
        }

        var tokenFile = config.GetString("collector.command-host.token-file", "");
        var certificate = config.GetString("collector.command-host.tls.certificate-file", "");
        var key = config.GetString("collector.command-host.tls.key-file", "");
        if (string.IsNullOrWhiteSpace(certificate) != string.IsNullOrWhiteSpace(key))
        {
            throw new ConfigurationException("collector.command-host.tls: give both certificate-file and key-file (PEM), or neither");
        }

        var options = new CommandHostOptions(hostname, port, token.Length == 0 ? null : token)
        {
            TokenFile = string.IsNullOrWhiteSpace(tokenFile)
                ? Path.Combine(stateDirectory, CommandWire.TokenFileName)
                : Path.GetFullPath(tokenFile, configDirectory),
            Tls = string.IsNullOrWhiteSpace(certificate) ? null : new PemCertificate("collector.command-host.tls", Path.GetFullPath(certificate, configDirectory), Path.GetFullPath(key, configDirectory)),
            MaxConnections = Positive(config, "collector.command-host.max-connections", 256),
            HandshakeTimeout = Duration(config, "collector.command-host.handshake-timeout", TimeSpan.FromSeconds(10)),
            IdleTimeout = Duration(config, "collector.command-host.idle-timeout", TimeSpan.FromMinutes(5)),
            FailedAuthDelay = Duration(config, "collector.command-host.failed-auth-delay", TimeSpan.FromSeconds(1)),
            FailedAuthMaxDelay = Duration(config, "collector.command-host.failed-auth-max-delay", TimeSpan.FromMinutes(5)),
        };
        if (options.FailedAuthMaxDelay < options.FailedAuthDelay)
        {
            throw new ConfigurationException("collector.command-host.failed-auth-max-delay: shorter than failed-auth-delay");
        }

        if (port != 0 && !options.IsLoopback && options.Tls is null)
        {
            throw new ConfigurationException(
                $"collector.command-host.hostname: '{hostname}' is not a loopback address; set collector.command-host.tls {{ certificate-file, key-file }} so the token and the commands cross the network encrypted");
        }

        return options;
    }
}
