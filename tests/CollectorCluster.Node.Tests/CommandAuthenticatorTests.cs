using System.Net;
using CollectorCluster.Node.CommandHost;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Testing;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// The command host's token: generated into a 0600 file once (also when nodes race), checked for every request,
/// and a peer that got it wrong waits before it may try again, unchecked meanwhile.
/// </summary>
public sealed class CommandAuthenticatorTests : IDisposable
{
    private static readonly IPAddress Peer = IPAddress.Parse("127.0.0.1");
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-cmd-token-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void The_token_file_is_created_once_0600_with_a_prefixed_256_bit_token_and_read_back_after()
    {
        var path = Path.Combine(_dir, "state", "command-host.token");
        var token = CommandTokenFile.LoadOrCreate(path);
        Assert.Matches("^cctok_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(token, CommandTokenFile.LoadOrCreate(path));
        Assert.Equal([Path.GetFileName(path)], Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        Assert.NotEqual(CommandTokenFile.Generate(), CommandTokenFile.Generate());
    }

    [Fact]
    public async Task Nodes_starting_at_once_agree_on_one_token()
    {
        var path = Path.Combine(_dir, "race", "command-host.token");
        var tokens = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => CommandTokenFile.LoadOrCreate(path))));
        Assert.Single(tokens.Distinct());
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(path)!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("has a space in the middle of it, long enough")]
    public void A_file_that_holds_no_token_is_refused_naming_it(string content)
    {
        var path = Path.Combine(_dir, "bad.token");
        File.WriteAllText(path, content);
        var e = Assert.Throws<ConfigurationException>(() => CommandTokenFile.LoadOrCreate(path));
        Assert.Contains("collector.command-host.token-file", e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }

    private const string Right = "cctok_0123456789012345678901234567890123456789abc";

    [Theory]
    [InlineData(null, "missing token")]
    [InlineData("", "wrong token")]
    [InlineData("cctok_", "wrong token")]
    [InlineData("cctok_0123456789012345678901234567890123456789ab", "wrong token")]
    [InlineData("cctok_0123456789012345678901234567890123456789abcd", "wrong token")]
    [InlineData("cctok_0123456789012345678901234567890123456789abd", "wrong token")]
    [InlineData("CCTOK_0123456789012345678901234567890123456789ABC", "wrong token")]
    public void Anything_but_the_token_is_refused(string? presented, string error)
    {
        var authenticator = new CommandAuthenticator(Right, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), TimeProvider.System);
        Assert.Contains(error, authenticator.Check(presented, Peer), StringComparison.Ordinal);
    }

    [Fact]
    public void The_token_is_accepted() =>
        Assert.Null(new CommandAuthenticator(Right, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), TimeProvider.System).Check(Right, Peer));

    [Fact]
    public void After_a_wrong_token_the_peer_is_refused_unchecked_until_its_wait_passes_and_the_wait_doubles()
    {
        var clock = new SteppedClock(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        var token = TestSecrets.Password("authenticator");
        var authenticator = new CommandAuthenticator(token, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5), clock);
        Assert.Null(authenticator.Refusal(Peer));

        Assert.Contains("allowed after 2026-12-01 12:00:10Z (in 10 s)", authenticator.Check("guess", Peer), StringComparison.Ordinal);
        Assert.Contains("refused: 1 failed token attempt(s) from 127.0.0.1", authenticator.Refusal(Peer), StringComparison.Ordinal);
        Assert.Null(authenticator.Refusal(IPAddress.Parse("127.0.0.2")));
        // The same peer as an IPv4-mapped IPv6 address is the same peer.
        Assert.NotNull(authenticator.Refusal(IPAddress.Parse("::ffff:127.0.0.1")));

        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Null(authenticator.Refusal(Peer));
        Assert.Contains("(in 20 s)", authenticator.Check("guess again", Peer), StringComparison.Ordinal);
        clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Null(authenticator.Check(token, Peer));
        Assert.Contains("(in 10 s)", authenticator.Check("after a success: the first wait", Peer), StringComparison.Ordinal);
    }
}
