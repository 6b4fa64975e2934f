using CollectorCluster.Core.Tokens;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Tests;

/// <summary>The connection-token keys: defaults from the seed, overrides, and clear errors for bad values.</summary>
public sealed class TokenConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-tokens-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private const string OneAccount =
        "collector.accounts = [ { id = fred, pop3-server = \"pop.example.com\", pop3-account = fred, password = pw, mailbox = \"maildir:/srv/mail/fred\" } ]\n";

    private CollectorOptions Load(string hocon)
    {
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, OneAccount + hocon);
        return CollectorConfigLoader.Load(file, name => name == "HOME" ? "/home/op" : null);
    }

    [Fact]
    public void Defaults_follow_mailtraq()
    {
        var tokens = Load("").Tokens;
        Assert.Equal(new TokenPoolSettings(10, 20, 4, TimeSpan.FromMinutes(30), TokenPoolSettings.Default.AgingStep), tokens);
    }

    [Fact]
    public void Keys_override_the_defaults()
    {
        var options = Load("""
            collector {
              max-pop3-clients = 3
              max-connecting = 5
              max-per-server = 2
              lease-timeout = 2h
            }
            """);
        Assert.Equal(new TokenPoolSettings(3, 5, 2, TimeSpan.FromHours(2), TokenPoolSettings.Default.AgingStep), options.Tokens);
        Assert.Equal(3, options.MaxPop3Clients);
    }

    [Fact]
    public void Per_server_above_the_node_cap_is_kept_as_the_cluster_cap()
    {
        // max-per-server is the cluster's cap on one server (all nodes together); max-pop3-clients is this node's.
        var tokens = Load("collector { max-pop3-clients = 2, max-per-server = 8}").Tokens;
        Assert.Equal(8, tokens.MaxPerServer);
        Assert.Equal(2, tokens.MaxSessions);
    }

    [Theory]
    [InlineData("max-pop3-clients = 0", "collector.max-pop3-clients: must be a positive whole number")]
    [InlineData("max-connecting = -1", "collector.max-connecting: must be a positive whole number")]
    [InlineData("max-per-server = 0", "collector.max-per-server: must be a positive whole number")]
    [InlineData("lease-timeout = 0s", "collector.lease-timeout: must be a positive duration")]
    [InlineData("lease-timeout = soon", "collector.lease-timeout: not a duration")]
    public void Bad_values_are_refused_by_name(string line, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load($"collector {{ {line}}}"));
        Assert.Contains(expected, e.Message);
    }
}
