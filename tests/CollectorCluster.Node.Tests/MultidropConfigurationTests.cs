using CollectorCluster.Core.Routing;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Tests;

/// <summary>An account's <c>multidrop { ... }</c> section and <c>imported-uidls</c>, read by the node file's parser.</summary>
public sealed class MultidropConfigurationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-multidrop-config-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private CollectorOptions Load(string account)
    {
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, $$"""
            collector.accounts = [ {
              id = domain, pop3-server = "pop.isp.example", pop3-account = "box", password = "pw"
              {{account}}
            } ]
            """);
        return CollectorConfigLoader.Load(file, _ => null);
    }

    private const string IssueExample = """
        multidrop {
          local-domains = [ "Example.com", "example.org" ]
          aliases = { "sales" = ["Ann", "bob"], info = sales }
          default = "postmaster"
          destinations = {
            ann = "maildir:mail/ann"
            bob = "lmtp:127.0.0.1:24?rcpt=bob@example.com"
            "ann.smith" = "maildir:/srv/mail/ann.smith/"
            postmaster = "mda:/usr/lib/dovecot/dovecot-lda -d postmaster"
          }
        }
        imported-uidls = "seeds/domain.uidls"
        """;

    [Fact]
    public void The_issues_example_reads_with_names_lower_cased_destinations_normalised_and_defaults_applied()
    {
        var account = Assert.Single(Load(IssueExample).Accounts);
        var multidrop = account.Multidrop!;
        Assert.Equal(["example.com", "example.org"], multidrop.LocalDomains);
        Assert.Equal(MultidropSettings.DefaultEnvelopeHeaders, multidrop.EnvelopeHeaders);
        Assert.Equal(["ann", "bob"], multidrop.Aliases["sales"]);
        Assert.Equal(["sales"], multidrop.Aliases["info"]);
        Assert.Equal("postmaster", multidrop.Default);
        Assert.Equal($"maildir:{Path.Combine(_dir, "mail", "ann")}", multidrop.Destinations["ann"]);
        Assert.Equal("maildir:/srv/mail/ann.smith", multidrop.Destinations["ann.smith"]);
        Assert.Equal(TimeSpan.FromDays(7), multidrop.DuplicateWindow);
        Assert.Equal("multidrop:example.com,example.org (4 user(s))", account.Mailbox);
        Assert.Equal(Path.Combine(_dir, "seeds", "domain.uidls"), account.ImportedUidls);
        Assert.Equal(account, Assert.Single(Load(IssueExample).Accounts)); // an unchanged file reads as the same settings (no spurious reconfiguration)
    }

    [Fact]
    public void Envelope_headers_and_the_window_can_be_set_and_an_empty_list_means_to_cc_only()
    {
        var multidrop = Assert.Single(Load("""
            multidrop { local-domains = example.com, envelope-headers = [], duplicate-window = 36h, destinations { ann = "maildir:/m/ann" } }
            """).Accounts).Multidrop!;
        Assert.Empty(multidrop.EnvelopeHeaders);
        Assert.Equal(TimeSpan.FromHours(36), multidrop.DuplicateWindow);
        Assert.Null(multidrop.Default);
    }

    /// <summary>The account's keys, and a fragment of the error they must give (Akka's HOCON wants a new line, not a comma, after an object).</summary>
    public static TheoryData<string, string> Invalid => new()
    {
        { "", "mailbox: is required (or a multidrop" },
        { "mailbox = \"maildir:/m\", multidrop { local-domains = [x.example], destinations { a = \"maildir:/m/a\" } }", "multidrop: an account has a mailbox or a multidrop section, not both" },
        { "multidrop = \"yes\"", "multidrop: must be an object" },
        { "multidrop { destinations { a = \"maildir:/m/a\" } }", "multidrop.local-domains: is required" },
        { "multidrop { local-domains = [x.example] }", "multidrop.destinations: is required" },
        { "multidrop { local-domains = [\"not a domain\"], destinations { a = \"maildir:/m/a\" } }", "'not a domain' is not a domain name" },
        { "multidrop { local-domains = [x.example], destinations { a = \"ftp:/m/a\" } }", "multidrop.destinations.a: Mailbox 'ftp:/m/a' is not valid" },
        { "multidrop { local-domains = [x.example], destinations { a.b = \"maildir:/m\" } }", "quote user names containing dots" },
        { "multidrop { local-domains = [x.example], destinations { a = \"maildir:/m/a\" }\n default = zed }", "multidrop.default: 'zed' is not a user of destinations" },
        { "multidrop { local-domains = [x.example], destinations { a = \"maildir:/m/a\" }\n aliases { s = [a, nobody] } }", "'nobody' is neither a user of destinations nor an alias" },
        { "multidrop { local-domains = [x.example], destinations { a = \"maildir:/m/a\" }\n aliases { a = [a] } }", "'a' is a user too" },
        { "multidrop { local-domains = [x.example], destinations { a = \"maildir:/m/a\" }\n envelope-headers = [\"Delivered To\"] }", "'Delivered To' is not a header field name" },
        { "multidrop { local-domains = [x.example], destinations { a = \"maildir:/m/a\" }\n duplicate-window = 10s }", "duplicate-window: must be at least 1 minute" },
        { "multidrop { local-domains = [x.example], destinations { a = \"maildir:/m/a\" }\n defualt = a }", "multidrop.defualt: unknown key (did you mean 'default'?)" },
        { "leave-mail-on-server = on, mirror-mailbox = on, multidrop { local-domains = [x.example], destinations { a = \"maildir:/m/a\" } }", "a multidrop account cannot be mirrored" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Mistakes_name_the_account_and_the_key(string account, string fragment)
    {
        var error = Assert.Throws<ConfigurationException>(() => Load(account));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Contains("(id = domain)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accounts_added_at_run_time_take_neither_multidrop_nor_imported_uidls()
    {
        var error = Assert.Throws<ConfigurationException>(() => AccountConfigParser.ReadOptions("extra", [("imported-uidls", "x"), ("mailbox", "maildir:/m")], partial: false));
        Assert.Contains("imported-uidls: only in the accounts file", error.Message, StringComparison.Ordinal);
    }
}
