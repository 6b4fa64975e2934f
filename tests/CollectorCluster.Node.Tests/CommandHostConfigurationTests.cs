using Akka.Configuration;
using CollectorCluster.Node.CommandHost;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Wire;
using ConfigurationException = CollectorCluster.Node.Configuration.ConfigurationException;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// The command host's section: loopback by default, always a token (the node file's, or a generated one in the
/// state directory), a network-facing one only with TLS, and every bound read with its key named in errors.
/// </summary>
public sealed class CommandHostConfigurationTests
{
    private static CommandHostOptions Read(string hocon) =>
        CommandHostOptions.FromConfig(ConfigurationFactory.ParseString(hocon).WithFallback(CollectorConfigLoader.Defaults()));

    /// <summary>The defaults file states the address for operators to read; collectorctl takes it from the wire contract: they must agree.</summary>
    [Fact]
    public void The_defaults_file_states_the_wire_contracts_default_address()
    {
        var defaults = CollectorConfigLoader.Defaults();
        Assert.True(defaults.HasPath("collector.command-host.port"), "collector.defaults.hocon sets collector.command-host.port");
        Assert.Equal(CommandWire.DefaultPort, defaults.GetInt("collector.command-host.port"));
        Assert.Equal(CommandWire.DefaultHostname, defaults.GetString("collector.command-host.hostname"));
    }

    [Fact]
    public void Defaults_listen_on_loopback_at_the_wire_default_port_with_the_generated_token_in_the_state_directory()
    {
        var options = CommandHostOptions.FromConfig(CollectorConfigLoader.Defaults(), "/etc/collector", "/var/lib/collector");
        Assert.Equal((CommandWire.DefaultHostname, CommandWire.DefaultPort, (string?)null), (options.Hostname, options.Port, options.Token));
        Assert.Equal("/var/lib/collector/" + CommandWire.TokenFileName, options.TokenFile);
        Assert.Null(options.Tls);
        Assert.True(options.Enabled);
        Assert.True(options.IsLoopback);
        Assert.Equal(256, options.MaxConnections);
        Assert.Equal(TimeSpan.FromSeconds(10), options.HandshakeTimeout);
        Assert.Equal(TimeSpan.FromMinutes(5), options.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(1), options.FailedAuthDelay);
        Assert.Equal(TimeSpan.FromMinutes(5), options.FailedAuthMaxDelay);
    }

    [Fact]
    public void Port_zero_disables_the_command_host() => Assert.False(Read("collector.command-host.port = 0").Enabled);

    [Fact]
    public void A_non_loopback_hostname_without_tls_is_refused_with_the_key()
    {
        var e = Assert.Throws<ConfigurationException>(() => Read("collector.command-host { hostname = 0.0.0.0, token = \"0123456789abcdef0123456789abcdef\" }"));
        Assert.Contains("collector.command-host.hostname", e.Message);
        Assert.Contains("collector.command-host.tls", e.Message);
    }

    [Fact]
    public void A_non_loopback_hostname_with_tls_is_accepted_and_files_are_relative_to_the_node_file()
    {
        var config = ConfigurationFactory.ParseString("collector.command-host { hostname = 0.0.0.0, tls.certificate-file = host.pem, tls.key-file = \"/keys/host.key\", token-file = \"t/token\" }")
            .WithFallback(CollectorConfigLoader.Defaults());
        var options = CommandHostOptions.FromConfig(config, "/etc/collector", "/var/lib/collector");
        Assert.Equal(new PemCertificate("collector.command-host.tls", "/etc/collector/host.pem", "/keys/host.key"), options.Tls);
        Assert.Equal("/etc/collector/t/token", options.TokenFile);
        Assert.False(options.IsLoopback);
    }

    [Theory]
    [InlineData("token = short", "collector.command-host.token")]
    [InlineData("token = \"0123456789abcdef 0123456789abcdef\"", "collector.command-host.token")]
    [InlineData("tls.certificate-file = a.pem", "collector.command-host.tls")]
    [InlineData("max-connections = 0", "collector.command-host.max-connections")]
    [InlineData("idle-timeout = 0s", "collector.command-host.idle-timeout")]
    [InlineData("handshake-timeout = soon", "collector.command-host.handshake-timeout")]
    [InlineData("failed-auth-max-delay = 100ms", "collector.command-host.failed-auth-max-delay")]
    [InlineData("tokn = x", "collector.command-host.tokn")]
    public void A_bad_value_is_refused_naming_its_key(string setting, string key) =>
        Assert.Contains(key, Assert.Throws<ConfigurationException>(() => Read("collector.command-host { " + setting + " }")).Message);

    [Fact]
    public void A_token_in_the_node_file_is_used_as_given()
    {
        var options = Read("collector.command-host.token = \"0123456789abcdef0123456789abcdef\"");
        Assert.Equal("0123456789abcdef0123456789abcdef", options.Token);
    }

    [Fact]
    public void A_bad_port_or_hostname_is_refused()
    {
        Assert.Contains("collector.command-host.port", Assert.Throws<ConfigurationException>(() => Read("collector.command-host.port = 70000")).Message);
        Assert.Contains("collector.command-host.hostname", Assert.Throws<ConfigurationException>(() => Read("collector.command-host.hostname = \"pop.example.com\"")).Message);
    }
}
