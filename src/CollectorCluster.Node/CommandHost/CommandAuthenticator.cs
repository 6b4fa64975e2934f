using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Core.Commands;

namespace CollectorCluster.Node.CommandHost;

/// <summary>
/// Checks each request's token for the command host: in constant time (both sides hashed to 32 bytes first, so
/// neither the content nor the length of the token shows in the timing), and with a growing wait per peer after
/// failed attempts (<see cref="FailedAuthThrottle"/>), during which the peer's attempts are refused unchecked.
/// Thread-safe: connections call it concurrently.
/// </summary>
public sealed class CommandAuthenticator
{
    private readonly byte[] _tokenHash;
    private readonly FailedAuthThrottle _throttle;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();

    /// <summary>Creates the authenticator for <paramref name="token"/>.</summary>
    public CommandAuthenticator(string token, TimeSpan failedDelay, TimeSpan failedMaxDelay, TimeProvider clock)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        _throttle = new FailedAuthThrottle(failedDelay, failedMaxDelay);
        _clock = clock;
    }

    /// <summary>Why <paramref name="peer"/> may not try now (after failed attempts); null when it may.</summary>
    public string? Refusal(IPAddress peer)
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            return _throttle.BlockedUntil(Key(peer), now) is { } blocked
                ? $"refused: {blocked.Failures} failed token attempt(s) from {peer}; the next attempt is allowed after {When(blocked.Until, now)}"
                : null;
        }
    }

    /// <summary>Checks a request's token; null when it is right, else the error to answer (the failure is counted for the peer).</summary>
    public string? Check(string? presented, IPAddress peer)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented ?? ""));
        var right = CryptographicOperations.FixedTimeEquals(hash, _tokenHash) && presented is not null;
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (right)
            {
                _throttle.Succeeded(Key(peer));
                return null;
            }

            var until = _throttle.Failed(Key(peer), now);
            return $"{(presented is null ? "missing" : "wrong")} token (collectorctl reads the node's command-host.token, or --token-file F / COLLECTORCTL_TOKEN_FILE, --token / COLLECTORCTL_TOKEN); the next attempt from {peer} is allowed after {When(until, now)}";
        }
    }

    private static string Key(IPAddress peer) => (peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer).ToString();

    private static string When(DateTimeOffset until, DateTimeOffset now) =>
        $"{until.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)} (in {Math.Ceiling((until - now).TotalSeconds).ToString(CultureInfo.InvariantCulture)} s)";
}
