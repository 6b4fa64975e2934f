using CollectorCluster.Node.Configuration;
using CollectorCluster.Pop3;

namespace CollectorCluster.Node.Tests;

/// <summary><c>collector.pop3</c>: the shipped defaults equal the engine's, values are read, and mistakes name the key.</summary>
public sealed class Pop3LimitsConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-pop3cfg-").FullName;

    private CollectorOptions Load(string pop3)
    {
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, $$"""
            collector {
              {{pop3}}
              accounts = [ { id = fred, pop3-server = "pop.example.com", pop3-account = "fred", password = "pw", mailbox = "maildir:/srv/mail/fred" } ]
            }
            """);
        return CollectorConfigLoader.Load(file, _ => null);
    }

    [Fact]
    public void The_defaults_file_ships_the_engines_defaults()
    {
        Assert.Equal(Pop3Limits.Default, Load("").Tuning.Pop3);
    }

    [Fact]
    public void Every_key_is_read()
    {
        var limits = Load("""
            pop3 {
              max-line-length = 2k
              max-listed-messages = 1000
              body-slack = 64k
              session-deadline { base = 30s, per-message = 250ms, min-throughput = 1m }
            }
            """).Tuning.Pop3;

        Assert.Equal(new Pop3Limits(2048, 1000, 64 * 1024, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(250), 1024 * 1024), limits);
    }

    [Fact]
    public void A_key_left_out_keeps_its_default()
    {
        var limits = Load("pop3.session-deadline.base = 10m").Tuning.Pop3;
        Assert.Equal(Pop3Limits.Default with { DeadlineBase = TimeSpan.FromMinutes(10) }, limits);
    }

    [Theory]
    [InlineData("pop3.max-line-lenght = 4k", "collector.pop3.max-line-lenght: unknown key (known: max-line-length, max-listed-messages, body-slack, session-deadline)")]
    [InlineData("pop3.session-deadline.floor = 1k", "collector.pop3.session-deadline.floor: unknown key")]
    [InlineData("pop3.max-line-length = 100", "collector.pop3.max-line-length: 100 is out of range (512 to 1m bytes")]
    [InlineData("pop3.max-line-length = lots", "collector.pop3.max-line-length: 'lots' is not a size")]
    [InlineData("pop3.max-listed-messages = 0", "collector.pop3.max-listed-messages: '0' is not a positive whole number")]
    [InlineData("pop3.max-listed-messages = many", "collector.pop3.max-listed-messages: 'many' is not a positive whole number")]
    [InlineData("pop3.body-slack = -1", "collector.pop3.body-slack: '-1' is not a size")]
    [InlineData("pop3.session-deadline.base = 0s", "collector.pop3.session-deadline.base: 00:00:00 must be positive")]
    [InlineData("pop3.session-deadline.base = soon", "collector.pop3.session-deadline.base: 'soon' is not a duration")]
    [InlineData("pop3.session-deadline.min-throughput = 0", "collector.pop3.session-deadline.min-throughput: 0 must be at least 1 byte per second")]
    [InlineData("pop3 = 5", "collector.pop3: must be an object")]
    public void Mistakes_name_the_key(string pop3, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(pop3));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
