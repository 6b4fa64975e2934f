using System.Net;
using Akka.Configuration;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Web;
using CollectorCluster.Testing;

namespace CollectorCluster.WebTests;

/// <summary>
/// Console logins: a listed user's password against its hash, never saying whether the name or the password was wrong;
/// after a failure that address waits (doubling), and attempts meanwhile are refused unchecked, even the right one; a
/// token login needs the node's token (none before the command layer is attached). The clock is moved by hand.
/// </summary>
public sealed class ConsoleLoginTests
{
    private const string Password = "a password for the console";
    private static readonly IPAddress Peer = IPAddress.Parse("192.0.2.7");
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private readonly SteppedClock _clock = new(Start);
    private readonly ConsoleLogin _login;

    public ConsoleLoginTests()
    {
        var hash = PasswordHash.Create(Password, PasswordHash.MinIterations);
        var options = WebConsoleOptions.FromConfig(
            ConfigurationFactory.ParseString($$"""collector.web { port = 9180, users = [ { name = ops, password-hash = "{{hash}}" } ], failed-login-delay = 2s, failed-login-max-delay = 10s }""")
                .WithFallback(CollectorConfigLoader.Defaults()),
            "/");
        _login = new ConsoleLogin(options, new ConsoleCommands(), _clock);
    }

    [Fact]
    public void The_right_password_logs_the_user_in()
    {
        Assert.Equal(("ops", (string?)null), _login.Check(" ops ", Password, Peer));
    }

    [Theory]
    [InlineData("ops", "not the password")]
    [InlineData("nobody", Password)]
    [InlineData("", Password)] // a token login, but this is no token (and none is attached yet)
    public void A_wrong_login_is_refused_without_saying_which_part_was_wrong(string name, string password)
    {
        var (user, refusal) = _login.Check(name, password, Peer);
        Assert.Null(user);
        Assert.StartsWith("Wrong user name or password. The next attempt from 192.0.2.7 is allowed after 12:00:02Z (in 2 s).", refusal, StringComparison.Ordinal);
        Assert.DoesNotContain(password, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void After_failures_the_address_waits_doubling_and_even_the_right_password_is_refused_meanwhile()
    {
        Assert.Null(_login.Check("ops", "wrong", Peer).User);
        var (user, refusal) = _login.Check("ops", Password, Peer);
        Assert.Null(user);
        Assert.StartsWith("Too many failed logins from 192.0.2.7 (1)", refusal, StringComparison.Ordinal);

        // Another address is not held up.
        Assert.Equal("ops", _login.Check("ops", Password, IPAddress.Parse("192.0.2.8")).User);

        _clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Contains("(in 4 s)", _login.Check("ops", "wrong again", Peer).Refusal, StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromSeconds(3));
        Assert.StartsWith("Too many failed logins from 192.0.2.7 (2)", _login.Check("ops", Password, Peer).Refusal, StringComparison.Ordinal);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("ops", _login.Check("ops", Password, Peer).User);

        // A success clears the count: the next failure waits the first delay again.
        Assert.Contains("(in 2 s)", _login.Check("ops", "wrong", Peer).Refusal, StringComparison.Ordinal);
    }
}
