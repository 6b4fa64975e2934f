using Akka.Configuration;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;
using ConfigurationException = CollectorCluster.Node.Configuration.ConfigurationException;

namespace CollectorCluster.Node.Tests;

/// <summary>Where accounts added at run time may deliver: never a program, a Maildir only under the node file's roots (links resolved).</summary>
public sealed class RuntimeAccountPolicyTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-runtime-policy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("")]
    [InlineData("collector.runtime-accounts.maildir-roots = []")]
    public void No_roots_allow_no_maildir(string hocon)
    {
        var policy = Read(hocon);
        Assert.Empty(policy.MaildirRoots);
        Assert.Contains("none are allowed: the list is empty", policy.Refusal(Account("maildir:" + Path.Combine(_dir, "m")), _dir), StringComparison.Ordinal);
    }

    [Fact]
    public void Roots_are_relative_to_the_node_file_and_a_bad_value_names_the_key()
    {
        Assert.Equal([Path.Combine(_dir, "mail"), "/srv/mail"], Read("collector.runtime-accounts.maildir-roots = [mail, \"/srv/mail/\"]").MaildirRoots);
        Assert.Contains(RuntimeAccountPolicy.RootsKey, Assert.Throws<ConfigurationException>(() => Read("collector.runtime-accounts.maildir-roots = /srv/mail")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_is_never_allowed_and_lmtp_or_smtp_always()
    {
        var policy = Read($"collector.runtime-accounts.maildir-roots = [\"{_dir}\"]");
        Assert.Contains("cannot deliver to a program (mda:", policy.Refusal(Account("mda:/usr/bin/procmail"), _dir), StringComparison.Ordinal);
        Assert.Null(policy.Refusal(Account("lmtp:127.0.0.1:24?rcpt=fred@example.org"), _dir));
        Assert.Null(policy.Refusal(Account("smtp:mail.example.org:25?rcpt=fred@example.org"), _dir));
    }

    [Fact]
    public void A_maildir_must_lie_under_a_root_after_dot_dots_and_symbolic_links_are_resolved()
    {
        var mail = Directory.CreateDirectory(Path.Combine(_dir, "mail")).FullName;
        var outside = Directory.CreateDirectory(Path.Combine(_dir, "outside")).FullName;
        File.CreateSymbolicLink(Path.Combine(mail, "out"), outside);
        File.CreateSymbolicLink(Path.Combine(mail, "dangling"), Path.Combine(outside, "not-yet"));
        File.CreateSymbolicLink(Path.Combine(mail, "relative"), "../outside");
        File.CreateSymbolicLink(Path.Combine(mail, "within"), Path.Combine(mail, "real"));
        File.CreateSymbolicLink(Path.Combine(mail, "loop"), Path.Combine(mail, "loop"));
        var policy = Read("collector.runtime-accounts.maildir-roots = [mail]");

        Assert.Null(policy.Refusal(Account($"maildir:{mail}/fred"), _dir));
        Assert.Null(policy.Refusal(Account($"maildir:{mail}"), _dir));
        Assert.Null(policy.Refusal(Account("maildir:mail/relative-to-the-node-file"), _dir));
        Assert.Null(policy.Refusal(Account($"maildir:{mail}/within/fred"), _dir));
        foreach (var escape in new[] { $"{mail}/../outside", $"{mail}/out/fred", $"{mail}/dangling", $"{mail}/relative/fred", $"{mail}-sibling", "/etc" })
        {
            Assert.Contains(RuntimeAccountPolicy.RootsKey, policy.Refusal(Account("maildir:" + escape), _dir), StringComparison.Ordinal);
        }

        Assert.Contains("cannot resolve the path", policy.Refusal(Account($"maildir:{mail}/loop/x"), _dir), StringComparison.Ordinal);
    }

    private static AccountSettings Account(string mailbox) => new()
    {
        Id = "rt",
        Pop3Server = "pop.example.com",
        Port = 110,
        Pop3Account = "rt",
        Password = new Secret("not-used"),
        Mailbox = mailbox,
    };

    private RuntimeAccountPolicy Read(string hocon) =>
        RuntimeAccountPolicy.FromConfig(ConfigurationFactory.ParseString(hocon).WithFallback(CollectorConfigLoader.Defaults()), _dir);
}
