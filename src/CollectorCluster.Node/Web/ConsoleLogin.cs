using System.Globalization;
using System.Net;
using CollectorCluster.Core.Commands;

namespace CollectorCluster.Node.Web;

/// <summary>
/// Checks a console login: a listed user's password against its PBKDF2 hash, or (with <c>token-login</c>) the
/// node's command-host token with the name left empty. After a failure that address waits (<see cref="FailedAuthThrottle"/>,
/// the command host's throttle), doubled per further failure; attempts meanwhile are refused unchecked, so the wait
/// bounds the guesses and the hashing work. Thread-safe.
/// </summary>
public sealed class ConsoleLogin
{
    /// <summary>The name a token login is shown under.</summary>
    public const string TokenUser = "(node token)";

    private readonly WebConsoleOptions _options;
    private readonly ConsoleCommands _commands;
    private readonly TimeProvider _clock;
    private readonly FailedAuthThrottle _throttle;
    private readonly object _gate = new();

    /// <summary>Creates the checker.</summary>
    public ConsoleLogin(WebConsoleOptions options, ConsoleCommands commands, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _commands = commands;
        _clock = clock;
        _throttle = new FailedAuthThrottle(options.FailedLoginDelay, options.FailedLoginMaxDelay);
    }

    /// <summary>
    /// The user logged in, or the refusal to show: a wrong name or password (never saying which), or the wait after
    /// failed attempts from <paramref name="peer"/>.
    /// </summary>
    public (string? User, string? Refusal) Check(string name, string password, IPAddress peer)
    {
        var key = (peer.IsIPv4MappedToIPv6 ? peer.MapToIPv4() : peer).ToString();
        var now = _clock.GetUtcNow();
        lock (_gate)
        {
            if (_throttle.BlockedUntil(key, now) is { } blocked)
            {
                return (null, $"Too many failed logins from {key} ({blocked.Failures}); try again after {When(blocked.Until, now)}.");
            }
        }

        var user = Verify(name.Trim(), password);
        lock (_gate)
        {
            if (user is not null)
            {
                _throttle.Succeeded(key);
                return (user, null);
            }

            var until = _throttle.Failed(key, now);
            return (null, $"Wrong user name or password. The next attempt from {key} is allowed after {When(until, now)}.");
        }
    }

    private string? Verify(string name, string password)
    {
        if (name.Length == 0)
        {
            return _options.TokenLogin && _commands.IsToken(password) ? TokenUser : null;
        }

        var user = _options.Users.FirstOrDefault(u => u.Name == name);
        // An unknown name costs one hash too, so the answer time does not tell which names exist.
        var verified = PasswordHash.Verify(password, user?.Hash ?? Decoy);
        return user is not null && verified ? user.Name : null;
    }

    private static readonly string Decoy = PasswordHash.Create(Guid.NewGuid().ToString("N"));

    private static string When(DateTimeOffset until, DateTimeOffset now) =>
        $"{until.UtcDateTime.ToString("HH:mm:ss'Z'", CultureInfo.InvariantCulture)} (in {Math.Ceiling((until - now).TotalSeconds).ToString(CultureInfo.InvariantCulture)} s)";
}
