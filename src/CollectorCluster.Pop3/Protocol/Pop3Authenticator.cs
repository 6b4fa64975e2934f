using System.Net;
using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Core.Accounts;
using MailKit.Security;

namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// Logs in with exactly the configured method, once. Unlike MailKit's Authenticate, nothing is probed (a wrong
/// password costs one failure, not a lockout-inducing burst) and the server's -ERR line with its response code
/// is kept. SASL responses are computed by MailKit's mechanism classes; the exchange itself is ours.
/// </summary>
internal static class Pop3Authenticator
{
    /// <summary>Runs the login; throws <see cref="Pop3Exception"/> with the server's reply on refusal.</summary>
    public static async Task LoginAsync(Pop3Wire wire, Pop3ConnectOptions options, string greeting, CancellationToken cancellationToken)
    {
        wire.Stage = Pop3Stage.Authenticate;
        var password = options.Password.Reveal();
        if (password.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw wire.Fail(Pop3ErrorKind.Authentication, $"Cannot log in to {wire.Endpoint} as '{options.User}': the password contains a line break.");
        }

        switch (options.Auth)
        {
            case AuthMethod.UserPass:
                wire.Queue("USER " + options.User);
                await wire.FlushAsync().ConfigureAwait(false);
                Check(wire, options, await wire.ReadReplyAsync("USER").ConfigureAwait(false));
                wire.Queue("PASS " + password);
                await wire.FlushAsync().ConfigureAwait(false);
                Check(wire, options, await wire.ReadReplyAsync("PASS").ConfigureAwait(false));
                break;

            case AuthMethod.Apop:
                var timestamp = ApopTimestamp(greeting)
                    ?? throw wire.Fail(Pop3ErrorKind.Authentication, $"APOP is configured for user '{options.User}' but the greeting of {wire.Endpoint} has no <timestamp>: the server does not offer APOP.");
                wire.Queue($"APOP {options.User} {ApopDigest(timestamp, password)}");
                await wire.FlushAsync().ConfigureAwait(false);
                Check(wire, options, await wire.ReadReplyAsync("APOP").ConfigureAwait(false));
                break;

            default:
                var credential = new NetworkCredential(options.User, password);
                var mechanism = options.Auth == AuthMethod.OAuthBearer ? new OAuthBearerMechanism(credential, options.Host, options.Port) : CreateMechanism(options.Auth, credential);
                await SaslAsync(wire, options, mechanism, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>The greeting's &lt;...&gt; timestamp (RFC 1939 7), or null.</summary>
    public static string? ApopTimestamp(string greeting)
    {
        var open = greeting.IndexOf('<');
        if (open < 0)
        {
            return null;
        }

        var close = greeting.IndexOf('>', open + 1);
        return close < 0 ? null : greeting[open..(close + 1)];
    }

    /// <summary>Lower-case hex MD5 of timestamp + secret, as APOP requires (MD5 is the protocol's, not our choice).</summary>
    public static string ApopDigest(string timestamp, string secret)
    {
#pragma warning disable CA5351 // APOP is defined with MD5.
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(timestamp + secret));
#pragma warning restore CA5351
        return Convert.ToHexStringLower(hash);
    }

    private static SaslMechanism CreateMechanism(AuthMethod method, NetworkCredential credential) => method switch
    {
        AuthMethod.Plain => new SaslMechanismPlain(credential),
        AuthMethod.Login => new SaslMechanismLogin(credential),
        AuthMethod.CramMd5 => new SaslMechanismCramMd5(credential),
        AuthMethod.ScramSha256 => new SaslMechanismScramSha256(credential),
        // For OAuth2 the "password" is the access token the caller obtained; it is scrubbed from replies like one.
        AuthMethod.XOAuth2 => new SaslMechanismOAuth2(credential),
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Not a SASL method."),
    };

    /// <summary>AUTH (RFC 5034): "+ base64" challenges answered by the mechanism until +OK or -ERR.</summary>
    private static async Task SaslAsync(Pop3Wire wire, Pop3ConnectOptions options, SaslMechanism mechanism, CancellationToken cancellationToken)
    {
        var name = mechanism.MechanismName;
        wire.Queue("AUTH " + name);
        await wire.FlushAsync().ConfigureAwait(false);
        for (var round = 0; ; round++)
        {
            var line = await wire.ReadLineAsync("AUTH " + name).ConfigureAwait(false);
            var span = line.Span;
            if (span.Length >= 1 && span[0] == (byte)'+' && (span.Length == 1 || span[1] == (byte)' '))
            {
                if (round > 10)
                {
                    throw wire.Fail(Pop3ErrorKind.Protocol, $"SASL {name} exchange with {wire.Endpoint} did not end after {round} challenges.");
                }

                var challenge = span.Length > 2 ? Encoding.ASCII.GetString(span[2..]).Trim() : string.Empty;
                string response;
                try
                {
                    response = mechanism.Challenge(challenge, cancellationToken) ?? string.Empty;
                }
                catch (Exception ex) when (ex is SaslException or FormatException or NotSupportedException)
                {
                    // Abort the exchange (RFC 5034 "*") and consume the server's -ERR, so the failure is ours alone.
                    wire.Queue("*");
                    await wire.FlushAsync().ConfigureAwait(false);
                    var abort = await wire.ReadReplyAsync("AUTH *").ConfigureAwait(false);
                    throw wire.Fail(Pop3ErrorKind.Authentication, $"Authentication failed at {wire.Endpoint} for user '{options.User}': SASL {name} rejected the server's challenge ({ex.Message}); server then said: {abort.Line}", abort, ex);
                }

                wire.Queue(response);
                await wire.FlushAsync().ConfigureAwait(false);
                continue;
            }

            var text = wire.Scrub(Pop3Text.Decode(span));
            if (!Pop3Reply.TryParse(text, out var reply))
            {
                throw wire.Fail(Pop3ErrorKind.Protocol, $"Unexpected reply from {wire.Endpoint} to AUTH {name}: {Pop3Text.Quote(span)}");
            }

            Check(wire, options, reply);
            return;
        }
    }

    private static void Check(Pop3Wire wire, Pop3ConnectOptions options, Pop3Reply reply)
    {
        if (reply.IsOk)
        {
            return;
        }

        // IN-USE, LOGIN-DELAY and SYS/* mean the credentials were not judged (RFC 2449 8, RFC 3206): say what happened.
        var code = reply.ResponseCode ?? string.Empty;
        var login = $"{wire.Endpoint} refused the login of '{options.User}'";
        var (kind, what) = code switch
        {
            "IN-USE" => (Pop3ErrorKind.ServerRefused, $"{login}: the mailbox is in use by another session ([IN-USE]); the password was not judged"),
            "LOGIN-DELAY" => (Pop3ErrorKind.ServerRefused, $"{login} as too soon after the previous login ([LOGIN-DELAY]); the password was not judged"),
            _ when code.StartsWith("SYS/TEMP", StringComparison.Ordinal) => (Pop3ErrorKind.ServerRefused, $"{login} because of a temporary failure on its side ([SYS/TEMP]); the password was not judged"),
            _ when code.StartsWith("SYS/", StringComparison.Ordinal) => (Pop3ErrorKind.ServerRefused, $"{login} because of a permanent failure on its side ([{code}]); the password was not judged"),
            _ => (Pop3ErrorKind.Authentication, $"Authentication failed at {wire.Endpoint} for user '{options.User}'"),
        };
        throw wire.Fail(kind, $"{what}: {reply.Line}", reply);
    }
}
