using CollectorCluster.Core.Scheduling;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Tests;

/// <summary><c>collector.sleep</c>: off by default as shipped, values are read, and mistakes name the key.</summary>
public sealed class AccountSleepConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-sleepcfg-").FullName;

    private CollectorOptions Load(string sleep)
    {
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, $$"""
            collector {
              {{sleep}}
              accounts = [ { id = fred, pop3-server = "pop.example.com", pop3-account = "fred", password = "pw", mailbox = "maildir:/srv/mail/fred" } ]
            }
            """);
        return CollectorConfigLoader.Load(file, _ => null);
    }

    [Fact]
    public void The_defaults_file_ships_sleep_off_with_the_engines_defaults()
    {
        Assert.Equal(AccountSleep.Off, Load("").Tuning.Sleep);
    }

    [Fact]
    public void Values_are_read()
    {
        var sleep = Load("sleep { idle-accounts = on, min-idle = 90s, wake-ahead = 5s }").Tuning.Sleep;
        Assert.Equal(new AccountSleep(true, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(5)), sleep);
    }

    [Theory]
    [InlineData("sleep.idle-accounts = maybe", "collector.sleep.idle-accounts: 'maybe' is not on or off")]
    [InlineData("sleep.min-idle = soon", "collector.sleep.min-idle: not a duration")]
    [InlineData("sleep.wake-ahead = 0s", "collector.sleep.wake-ahead: must be a positive duration")]
    [InlineData("sleep { min-idle = 10s, wake-ahead = 10s }", "collector.sleep.min-idle: 00:00:10 must be longer than wake-ahead (00:00:10)")]
    [InlineData("sleep.idle = on", "collector.sleep")]
    public void Mistakes_name_the_key(string sleep, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(sleep));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
