using System.Text;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// The one table of account keys (<see cref="AccountKeys"/>) and the three places that must say the same: the parser's
/// defaults, the defaults file's list and the README's configuration reference.
/// </summary>
public sealed class AccountKeysTests
{
    [Fact]
    public void An_account_with_only_the_required_keys_gets_the_table_defaults_which_are_the_settings_defaults()
    {
        var dir = Directory.CreateTempSubdirectory("cc-keys-").FullName;
        try
        {
            var file = Path.Combine(dir, "node.hocon");
            File.WriteAllText(file, """
                collector.accounts = [ { id = fred, pop3-server = "pop.example.com", pop3-account = "fred", password = "pw", mailbox = "maildir:/srv/mail/fred" } ]
                """);
            var read = Assert.Single(CollectorConfigLoader.Load(file, _ => null).Accounts);
            var built = new AccountSettings { Id = "fred", Pop3Server = "pop.example.com", Port = 110, Pop3Account = "fred", Password = new Secret("pw"), Mailbox = "maildir:/srv/mail/fred" };
            Assert.Equal(built, read);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Every_default_reads_and_every_key_without_one_is_required_or_says_what_absence_means()
    {
        Assert.Equal(AccountKeys.All.Count, AccountKeys.All.Select(k => k.Name).Distinct().Count());
        Assert.NotNull(AccountKeys.Defaults.CheckEvery);
        Assert.All(AccountKeys.All.Where(k => k.Default is null), k => Assert.True(k.Required || k.Absent.Length > 0, k.Name));
        Assert.All(AccountKeys.All.Where(k => k.Required), k => Assert.Null(k.Default));
    }

    [Fact]
    public void The_defaults_file_lists_the_table_defaults()
    {
        using var stream = typeof(CollectorConfigLoader).Assembly.GetManifestResourceStream("collector.defaults.hocon")!;
        var text = new StreamReader(stream).ReadToEnd().ReplaceLineEndings("\n");
        var expected = DefaultsBlock();
        Assert.True(text.Contains(expected, StringComparison.Ordinal), "hocon/collector.defaults.hocon should list the account defaults as:\n" + expected);
    }

    [Fact]
    public void The_readme_configuration_reference_is_the_table()
    {
        var readme = File.ReadAllText(Path.Combine(ConfigurationTests.RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var expected = ReadmeTable();
        Assert.True(readme.Contains(expected, StringComparison.Ordinal), "README.md's configuration reference should read:\n" + expected);
    }

    [Fact]
    public void The_readme_multidrop_reference_is_the_table()
    {
        var readme = File.ReadAllText(Path.Combine(ConfigurationTests.RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");
        var table = new StringBuilder("| `multidrop` key | default | meaning |\n|---|---|---|\n");
        foreach (var key in AccountKeys.Multidrop)
        {
            var shown = key.Required ? "required" : key.Default is { } value ? $"`{value}`" : key.Absent;
            table.Append("| `").Append(key.Name).Append("` | ").Append(shown).Append(" | ").Append(key.Meaning).Append(" |\n");
        }

        Assert.True(readme.Contains(table.ToString(), StringComparison.Ordinal), "README.md's multidrop reference should read:\n" + table);
    }

    /// <summary>The defaults as the defaults file writes them (commented: they are the parser's, not settings of the file).</summary>
    private static string DefaultsBlock()
    {
        var block = new StringBuilder("  # account-defaults {\n");
        foreach (var key in AccountKeys.All.Where(k => k.Default is not null))
        {
            block.Append("  #   ").Append(key.Name).Append(" = ").Append(key.Default).Append('\n');
        }

        return block.Append("  # }\n").ToString();
    }

    private static string ReadmeTable()
    {
        var table = new StringBuilder("| key | default | meaning (Mailtraq's Account Details) |\n|---|---|---|\n");
        foreach (var key in AccountKeys.All)
        {
            var shown = key.Required ? "required" : key.Default is { } value ? $"`{value}`" : key.Absent;
            table.Append("| `").Append(key.Name).Append("` | ").Append(shown).Append(" | ").Append(key.Meaning).Append(" |\n");
        }

        return table.ToString();
    }
}
