using Akka.Configuration;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Observability;
using CollectorCluster.Node.Web;
using ConfigurationException = CollectorCluster.Node.Configuration.ConfigurationException;

namespace CollectorCluster.WebTests;

/// <summary>
/// <c>collector.web</c>, <c>collector.health</c> and <c>collector.log</c> are read strictly (errors name the key),
/// the console is off and loopback by default, off loopback it needs TLS, and a user's password is only ever a
/// PBKDF2 hash (<c>collector hash-password</c>).
/// </summary>
public sealed class WebConfigurationTests
{
    private static readonly string Hash = PasswordHash.Create("a password for tests", PasswordHash.MinIterations);

    private static WebConsoleOptions Web(string hocon) => WebConsoleOptions.FromConfig(ConfigurationFactory.ParseString(hocon).WithFallback(CollectorConfigLoader.Defaults()), "/etc/collector");

    [Fact]
    public void The_shipped_defaults_have_no_console_no_health_listener_and_text_logs()
    {
        var defaults = CollectorConfigLoader.Defaults();
        var web = WebConsoleOptions.FromConfig(defaults, "/");
        Assert.False(web.Enabled);
        Assert.Equal("127.0.0.1", web.Hostname);
        Assert.True(web.TokenLogin);
        Assert.Empty(web.Users);
        Assert.Equal(TimeSpan.FromHours(8), web.SessionTimeout);
        Assert.False(HealthOptions.FromConfig(defaults).Enabled);
        Assert.Equal(LogFormat.Text, LogFormatReader.FromConfig(defaults));
    }

    [Fact]
    public void Users_tls_and_timeouts_are_read()
    {
        var web = Web($$"""
            collector.web {
              hostname = 0.0.0.0, port = 8443
              tls { certificate-file = "tls/cert.pem", key-file = "tls/key.pem" }
              users = [ { name = admin, password-hash = "{{Hash}}" } ], token-login = off, session-timeout = 1h
            }
            """);
        Assert.True(web.Enabled);
        Assert.Equal("/etc/collector/tls/cert.pem", web.Tls!.CertificateFile);
        Assert.Equal("admin", Assert.Single(web.Users).Name);
        Assert.False(web.TokenLogin);
        Assert.Equal(TimeSpan.FromHours(1), web.SessionTimeout);
        Assert.DoesNotContain(Hash, web.Users[0].ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("collector.web { hostname = 0.0.0.0, port = 8080 }", "collector.web.hostname: '0.0.0.0' is not a loopback address; set collector.web.tls")]
    [InlineData("collector.web { port = 8080, token-login = off }", "collector.web: no way to log in")]
    [InlineData("collector.web { port = 70000 }", "collector.web.port: 70000 is not a TCP port")]
    [InlineData("collector.web { hostname = example.com }", "collector.web.hostname: 'example.com' is not an IP address or localhost")]
    [InlineData("collector.web { colour = blue }", "collector.web.colour: unknown key")]
    [InlineData("collector.web { tls { certificate-file = a.pem } }", "collector.web.tls: give both certificate-file and key-file")]
    [InlineData("collector.web { users = [ { name = admin, password = secret } ] }", "collector.web.users[0].password: unknown key")]
    [InlineData("collector.web { users = [ { name = admin, password-hash = \"plain\" } ] }", "collector.web.users[0].password-hash: not a pbkdf2-sha256$ITERATIONS$SALT$HASH hash")]
    [InlineData("collector.web { users = [ { name = admin, password-hash = \"pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA==$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=\" } ] }", "iterations must be a number of at least 100000")]
    [InlineData("collector.web { session-timeout = 0s }", "collector.web.session-timeout: must be a positive duration")]
    [InlineData("collector.web { session-timeout = -1s }", "collector.web.session-timeout: not a duration")]
    [InlineData("collector.web { refresh = soon }", "collector.web.refresh: not a duration")]
    [InlineData("collector.web { max-connections = 0 }", "collector.web.max-connections: must be a positive whole number")]
    public void Bad_web_settings_are_refused_naming_the_key(string hocon, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => Web(hocon));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("collector.health { port = 9120, metrics-token = short }", "collector.health.metrics-token: must be at least 16")]
    [InlineData("collector.health { probe = yes }", "collector.health.probe: unknown key")]
    [InlineData("collector.log { format = xml }", "collector.log.format: 'xml' is not one of text, json")]
    public void Bad_health_and_log_settings_are_refused_naming_the_key(string hocon, string expected)
    {
        var config = ConfigurationFactory.ParseString(hocon).WithFallback(CollectorConfigLoader.Defaults());
        var e = Assert.Throws<ConfigurationException>(() => { _ = HealthOptions.FromConfig(config); _ = LogFormatReader.FromConfig(config); });
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_file_with_the_console_loads_through_the_loader()
    {
        var directory = Directory.CreateTempSubdirectory("cc-webcfg-").FullName;
        try
        {
            var file = Path.Combine(directory, "node.hocon");
            File.WriteAllText(file, $$"""
                collector {
                  state-directory = "{{directory}}"
                  web { port = 9180, users = [ { name = ops, password-hash = "{{Hash}}" } ] }
                  health { hostname = 0.0.0.0, port = 9120 }
                  log.format = json
                }
                """);
            var options = CollectorConfigLoader.Load(file);
            Assert.Equal(9180, options.Web.Port);
            Assert.Equal("ops", options.Web.Users[0].Name);
            Assert.Equal(("0.0.0.0", 9120), (options.Health.Hostname, options.Health.Port));
            Assert.Equal(LogFormat.Json, options.LogFormat);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [Theory]
    [InlineData("compose")]
    [InlineData("kubernetes")]
    public void The_deploy_node_files_serve_health_on_9120_for_the_probes_and_log_json(string deployment)
    {
        var root = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Source())!, "..", ".."));
        var text = deployment == "compose"
            ? File.ReadAllText(Path.Combine(root, "deploy", "compose", "node.hocon"))
            : ConfigMapNodeFile(File.ReadAllText(Path.Combine(root, "deploy", "kubernetes", "collector.yaml")));
        var directory = Directory.CreateTempSubdirectory("cc-deploycfg-").FullName;
        try
        {
            var file = Path.Combine(directory, "node.hocon");
            File.WriteAllText(file, text.Replace("/var/lib/collector-cluster", directory, StringComparison.Ordinal));
            var options = CollectorConfigLoader.Load(file, name => name == "FRED_POP3_PASSWORD" ? "not-a-real-password" : null);
            Assert.Equal(("0.0.0.0", 9120), (options.Health.Hostname, options.Health.Port));
            Assert.Null(options.Health.MetricsToken);
            Assert.False(options.Web.Enabled);
            Assert.Equal(LogFormat.Json, options.LogFormat);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }

    [Fact]
    public void A_password_hash_verifies_only_its_password_and_never_holds_it()
    {
        var hash = PasswordHash.Create("correct horse battery", PasswordHash.MinIterations);
        Assert.StartsWith("pbkdf2-sha256$100000$", hash, StringComparison.Ordinal);
        Assert.DoesNotContain("correct horse", hash, StringComparison.Ordinal);
        Assert.Null(PasswordHash.Problem(hash));
        Assert.True(PasswordHash.Verify("correct horse battery", hash));
        Assert.False(PasswordHash.Verify("correct horse batterY", hash));
        Assert.False(PasswordHash.Verify("correct horse battery", "pbkdf2-sha256$x$y$z"));
        // A fresh salt each time: the same password never gives the same hash.
        Assert.NotEqual(hash, PasswordHash.Create("correct horse battery", PasswordHash.MinIterations));
        Assert.StartsWith("pbkdf2-sha256$600000$", PasswordHash.Create("x"), StringComparison.Ordinal);
    }

    private static string Source([System.Runtime.CompilerServices.CallerFilePath] string here = "") => here;

    // The ConfigMap's `node.hocon: |` block, its indentation removed.
    private static string ConfigMapNodeFile(string yaml)
    {
        var lines = yaml.ReplaceLineEndings("\n").Split('\n');
        var start = Array.FindIndex(lines, l => l.Trim() == "node.hocon: |") + 1;
        var indent = lines[start].Length - lines[start].TrimStart().Length;
        return string.Join('\n', lines.Skip(start).TakeWhile(l => l.Length == 0 || l.Length - l.TrimStart().Length >= indent).Select(l => l.Length >= indent ? l[indent..] : l));
    }

    [Fact]
    public void Hash_password_reads_standard_input_and_prints_a_hash()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(0, CollectorCluster.Node.Commands.HashPasswordCommand.Run(new StringReader("a long enough password\n"), output, error));
        var hash = output.ToString().Trim();
        Assert.True(PasswordHash.Verify("a long enough password", hash));
        Assert.Equal(2, CollectorCluster.Node.Commands.HashPasswordCommand.Run(new StringReader("short\n"), output, error));
        Assert.Contains("at least 12 characters", error.ToString(), StringComparison.Ordinal);
    }
}
