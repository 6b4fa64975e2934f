using Akka.Configuration;
using CollectorCluster.Node.CommandHost;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Wire;
using ConfigurationException = CollectorCluster.Node.Configuration.ConfigurationException;

namespace CollectorCluster.Node.Tests;

/// <summary>The command host's section: loopback by default, and a network-facing one only with a token, because its commands can delete mail.</summary>
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
    public void Defaults_listen_on_loopback_at_the_wire_default_port_without_a_token()
    {
        var options = Read("");
        Assert.Equal(new CommandHostOptions(CommandWire.DefaultHostname, CommandWire.DefaultPort, null), options);
        Assert.True(options.Enabled);
    }

    [Fact]
    public void Port_zero_disables_the_command_host() => Assert.False(Read("collector.command-host.port = 0").Enabled);

    [Fact]
    public void A_non_loopback_hostname_without_a_token_is_refused_with_the_key()
    {
        var e = Assert.Throws<ConfigurationException>(() => Read("collector.command-host.hostname = 0.0.0.0"));
        Assert.Contains("collector.command-host.hostname", e.Message);
        Assert.Contains("collector.command-host.token", e.Message);
    }

    [Fact]
    public void A_non_loopback_hostname_with_a_token_is_accepted()
    {
        var options = Read("collector.command-host { hostname = 0.0.0.0, token = \"t0ken\" }");
        Assert.Equal("t0ken", options.Token);
    }

    [Fact]
    public void A_bad_port_or_hostname_is_refused()
    {
        Assert.Contains("collector.command-host.port", Assert.Throws<ConfigurationException>(() => Read("collector.command-host.port = 70000")).Message);
        Assert.Contains("collector.command-host.hostname", Assert.Throws<ConfigurationException>(() => Read("collector.command-host.hostname = \"pop.example.com\"")).Message);
    }
}
