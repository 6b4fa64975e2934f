using CollectorCluster.Core.Planning;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Tests;

/// <summary>The account keys of issue 3 (size limit, ...): read, defaulted, and refused with the key named.</summary>
public sealed class OptionsConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-optcfg-").FullName;

    private CollectorOptions Load(string extra)
    {
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, $$"""
            collector.accounts = [ {
              id = fred, pop3-server = "pop.example.com", pop3-account = "fred", password = "pw", mailbox = "maildir:/srv/mail/fred"
              {{extra}}
            } ]
            """);
        return CollectorConfigLoader.Load(file, _ => null);
    }

    [Theory]
    [InlineData("", 0L, OversizeHandling.Skip)]
    [InlineData("max-message-size = 10m", 10L * 1024 * 1024, OversizeHandling.Skip)]
    [InlineData("max-message-size = 512k, oversize = postpone", 512L * 1024, OversizeHandling.Postpone)]
    [InlineData("max-message-size = 25000, oversize = skip", 25000L, OversizeHandling.Skip)]
    [InlineData("max-message-size = 0", 0L, OversizeHandling.Skip)]
    [InlineData("max-message-size = 1g", 1024L * 1024 * 1024, OversizeHandling.Skip)]
    public void Size_limit_is_read(string extra, long bytes, OversizeHandling handling)
    {
        var a = Assert.Single(Load(extra).Accounts);
        Assert.Equal(bytes, a.MaxMessageSize);
        Assert.Equal(handling, a.Oversize);
    }

    [Theory]
    [InlineData("max-message-size = lots", "max-message-size: 'lots' is not a size")]
    [InlineData("max-message-size = -5", "max-message-size: '-5' is not a size")]
    [InlineData("oversize = drop", "oversize: 'drop' is not one of skip, postpone")]
    public void Bad_size_limits_name_the_key(string extra, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(extra));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("collector.accounts[0] (id = fred)", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", 500, 100L * 1024 * 1024)]
    [InlineData("commit-every { messages = 10 }", 10, 100L * 1024 * 1024)]
    [InlineData("commit-every { bytes = 5m }", 500, 5L * 1024 * 1024)]
    [InlineData("commit-every { messages = 0, bytes = 0 }", 0, 0L)]
    public void Commit_every_is_read(string extra, int messages, long bytes)
    {
        var a = Assert.Single(Load(extra).Accounts);
        Assert.Equal(new CommitEvery(messages, bytes), a.CommitEvery);
        Assert.Equal(messages == 0 && bytes == 0, a.CommitEvery.IsNever);
    }

    [Theory]
    [InlineData("commit-every = 10", "commit-every: must be an object")]
    [InlineData("commit-every { messages = 10, files = 3 }", "commit-every: files: unknown key")]
    [InlineData("commit-every { messages = -1 }", "commit-every: messages: -1 is out of range")]
    [InlineData("commit-every { bytes = many }", "commit-every: bytes: 'many' is not a size")]
    public void Bad_commit_every_names_the_key(string extra, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(extra));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("leave-mail-on-server = on, mirror-mailbox = on", true, 0.5)]
    [InlineData("leave-mail-on-server = on, mirror-mailbox = on, mirror-max-share = 0.25", true, 0.25)]
    [InlineData("leave-mail-on-server = on, mirror-mailbox = on, mirror-max-share = 1", true, 1.0)]
    [InlineData("", false, 0.5)]
    public void Mirror_is_read(string extra, bool mirror, double share)
    {
        var a = Assert.Single(Load(extra).Accounts);
        Assert.Equal(mirror, a.MirrorMailbox);
        Assert.Equal(share, a.MirrorMaxShare);
    }

    [Theory]
    [InlineData("mirror-mailbox = on", "mirror-mailbox: needs leave-mail-on-server = on")]
    [InlineData("leave-mail-on-server = off, mirror-mailbox = on", "mirror-mailbox: needs leave-mail-on-server = on")]
    [InlineData("leave-mail-on-server = on, mirror-mailbox = on, mirror-max-share = 0", "mirror-max-share: '0' is not a share")]
    [InlineData("leave-mail-on-server = on, mirror-mailbox = on, mirror-max-share = 1.5", "mirror-max-share: '1.5' is not a share")]
    [InlineData("leave-mail-on-server = on, mirror-mailbox = on, mirror-max-share = half", "mirror-max-share: 'half' is not a share")]
    public void Bad_mirror_settings_name_the_key(string extra, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => Load(extra));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
