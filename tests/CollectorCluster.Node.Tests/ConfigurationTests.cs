using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;

namespace CollectorCluster.Node.Tests;

public sealed class ConfigurationTests : IDisposable
{
    private const string Secret = "s3cr3t-Pa55";
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-config-").FullName;
    private readonly Dictionary<string, string?> _env = new() { ["HOME"] = "/home/op", ["FRED_PW"] = Secret };

    private CollectorOptions Load(string hocon)
    {
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, hocon);
        return CollectorConfigLoader.Load(file, name => _env.GetValueOrDefault(name));
    }

    private ConfigurationException Invalid(string hocon) => Assert.Throws<ConfigurationException>(() => Load(hocon));

    private static string Account(string extra = "", string password = $"password = \"{Secret}\"") => $$"""
        collector.accounts = [ {
          id = fred
          pop3-server = "pop.example.com"
          pop3-account = "fred.bloggs"
          {{password}}
          mailbox = "maildir:/srv/mail/fred"
          {{extra}}
        } ]
        """;

    private static string AccountObject(string id, string extra) => $$"""
        { id = {{id}}, pop3-server = "pop.example.com", pop3-account = "{{id}}", password = "{{Secret}}", mailbox = "maildir:/srv/mail/{{id}}"
          {{extra}} }
        """;

    private static string TwoAccounts(string id1, string extra1, string id2, string extra2) =>
        $"collector.accounts = [ {AccountObject(id1, extra1)}, {AccountObject(id2, extra2)} ]";

    [Fact]
    public void Akka_is_given_its_own_section_only_never_the_accounts_or_their_secrets()
    {
        var options = Load(Account() + "\nakka.loglevel = DEBUG\nakka.log-config-on-start = on\n");

        Assert.Equal("DEBUG", options.Hocon.GetString("akka.loglevel")); // the node file's akka keys
        Assert.True(options.Hocon.GetBoolean("akka.log-config-on-start"));
        Assert.Equal(256, options.Hocon.GetInt("akka.persistence.max-concurrent-recoveries")); // over the defaults' akka keys
        Assert.False(options.Hocon.HasPath("collector"));
        Assert.False(options.Hocon.HasPath("collector.accounts"));
        Assert.DoesNotContain(Secret, options.Hocon.ToString(includeFallback: true), StringComparison.Ordinal);
        Assert.Equal(Secret, Assert.Single(options.Accounts).Password.Reveal()); // read, and kept where it belongs
    }

    [Fact]
    public void Minimal_account_gets_the_seed_defaults()
    {
        var a = Assert.Single(Load(Account()).Accounts);
        Assert.Equal("fred", a.Id);
        Assert.Equal(110, a.Port);
        Assert.Equal(TlsMode.None, a.Ssl);
        Assert.False(a.LeaveMailOnServer);
        Assert.True(a.DownloadSmallestFirst);
        Assert.True(a.LocalAreaNetwork);
        Assert.True(a.VerifyCertificate);
        Assert.Equal(TimeSpan.FromMinutes(10), a.CheckEvery);
        Assert.Equal(AuthMethod.UserPass, a.Auth);
        Assert.Equal("fred.bloggs@pop.example.com", a.Address);
        Assert.Equal(Secret, a.Password.Reveal());
    }

    [Fact]
    public void Every_account_details_key_is_read()
    {
        var a = Assert.Single(Load(Account("""
            ssl = implicit
            leave-mail-on-server = on
            delete-after-days = 30
            mirror-mailbox = off
            local-area-network = on
            download-smallest-first = off
            check-every = 7
            priority = 5
            auth = cram-md5
            verify-certificate = off
            certificate-sha256 = "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"
            enabled = off
            """)).Accounts);
        Assert.Equal(995, a.Port);
        Assert.Equal(TlsMode.Implicit, a.Ssl);
        Assert.True(a.LeaveMailOnServer);
        Assert.Equal(30, a.DeleteAfterDays);
        Assert.False(a.MirrorMailbox);
        Assert.True(a.LocalAreaNetwork);
        Assert.False(a.DownloadSmallestFirst);
        Assert.Equal(TimeSpan.FromMinutes(7), a.CheckEvery);
        Assert.Equal(5, a.Priority);
        Assert.Equal(AuthMethod.CramMd5, a.Auth);
        Assert.False(a.VerifyCertificate);
        Assert.NotNull(a.CertificateSha256);
        Assert.False(a.Enabled);
    }

    [Theory]
    [InlineData("check-every = 90s", 90)]
    [InlineData("check-every = 5m", 300)]
    [InlineData("check-every = 1.5", 90)]
    public void Check_every_takes_minutes_or_a_duration(string line, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Assert.Single(Load(Account(line)).Accounts).CheckEvery);

    [Fact]
    public void Unknown_key_is_named_with_a_suggestion()
    {
        var e = Invalid(Account("leave-mail-on-sever = on"));
        Assert.Contains("collector.accounts[0] (id = fred): leave-mail-on-sever: unknown key (did you mean 'leave-mail-on-server'?)", e.Message);
    }

    [Fact]
    public void Missing_keys_are_all_reported()
    {
        var e = Invalid("collector.accounts = [ { id = x } ]");
        Assert.Contains("pop3-server: is required", e.Message);
        Assert.Contains("pop3-account: is required", e.Message);
        Assert.Contains("mailbox: is required", e.Message);
        Assert.Contains("give exactly one of password, password-file, password-env", e.Message);
        Assert.Contains("node.hocon", e.Message);
    }

    [Theory]
    [InlineData("ssl = tls", "ssl: 'tls' is not one of none, starttls, implicit")]
    [InlineData("port = 70000", "port: 70000 is out of range (1 to 65535)")]
    [InlineData("port = abc", "port: 'abc' is not a whole number")]
    [InlineData("leave-mail-on-server = maybe", "leave-mail-on-server: 'maybe' is not a boolean")]
    [InlineData("delete-after-days = 3", "delete-after-days: only applies with leave-mail-on-server = on")]
    [InlineData("check-every = 1s", "check-every: must be at least 10 seconds")]
    [InlineData("check-every = soon", "check-every: 'soon' is not a duration")]
    [InlineData("auth = kerberos", "auth: 'kerberos' is not one of")]
    [InlineData("mirror-mailbox = on", "mirror-mailbox: needs leave-mail-on-server = on")]
    [InlineData("certificate-sha256 = abc", "certificate-sha256: must be 64 hex digits")]
    public void Bad_values_name_account_key_and_problem(string line, string expected)
    {
        var e = Invalid(Account(line));
        Assert.Contains("(id = fred): " + expected, e.Message);
        Assert.DoesNotContain(Secret, e.Message);
    }

    [Theory]
    [InlineData("mailbox = \"lmtp:127.0.0.1:24\"")]
    [InlineData("mailbox = \"mda:relative/program\"")]
    [InlineData("mailbox = \"mbox:/var/mail/fred\"")]
    public void Bad_destination_is_refused_at_load_naming_the_mailbox_key(string line)
    {
        var e = Invalid(Account(line));
        Assert.Contains("(id = fred): mailbox: ", e.Message);
    }

    [Theory]
    [InlineData("collector.accounts = []")]
    [InlineData("collector.accounts = [ ]")]
    [InlineData("collector.max-pop3-clients = 10")]
    public void A_node_without_accounts_loads(string text)
    {
        Assert.Empty(Load(text).Accounts);
    }

    [Fact]
    public void Bad_id_and_duplicate_ids_are_refused()
    {
        Assert.Contains("id: 'fred bloggs' is not a valid id", Invalid(Account().Replace("id = fred", "id = \"fred bloggs\"")).Message);
        Assert.Contains("id 'fred' is used by another account", Invalid(TwoAccounts("fred", "", "fred", "")).Message);
    }

    [Fact]
    public void Password_sources_are_exclusive_and_resolved()
    {
        Assert.Equal(Secret, Assert.Single(Load(Account(password: "password-env = FRED_PW")).Accounts).Password.Reveal());
        File.WriteAllText(Path.Combine(_dir, "fred.pw"), "from-file\n");
        Assert.Equal("from-file", Assert.Single(Load(Account(password: "password-file = fred.pw")).Accounts).Password.Reveal());
        Assert.Contains("environment variable NOPE is not set", Invalid(Account(password: "password-env = NOPE")).Message);
        Assert.Contains("password-file: cannot read", Invalid(Account(password: "password-file = missing.pw")).Message);
        Assert.Contains("password/password-env: give exactly one", Invalid(Account(password: $"password = x{Environment.NewLine}password-env = FRED_PW")).Message);
    }

    [Fact]
    public void Secrets_never_print()
    {
        var options = Load(Account());
        Assert.DoesNotContain(Secret, options.Accounts[0].ToString());
        Assert.DoesNotContain(Secret, options.Accounts[0].Password.ToString());
    }

    [Fact]
    public void Relative_maildir_is_resolved_against_the_config_file()
    {
        var a = Assert.Single(Load(Account().Replace("maildir:/srv/mail/fred", "maildir:mail/fred")).Accounts);
        Assert.Equal("maildir:" + Path.Combine(_dir, "mail", "fred"), a.Mailbox);
    }

    [Fact]
    public void Journal_defaults_to_an_embedded_sqlite_file_under_the_state_directory()
    {
        var options = Load(Account());
        Assert.Equal("sqlite", options.Journal.Provider);
        Assert.Equal("/home/op/.local/state/collector-cluster/journal.db", options.Journal.SqliteFile);
        Assert.Equal("SQLite.MS", options.Journal.ProviderName);
        var persistence = PersistenceConfig(options);
        Assert.Equal("akka.persistence.journal.sql", persistence.GetString("akka.persistence.journal.plugin"));
        Assert.Equal("SQLite.MS", persistence.GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("sqlite", persistence.GetString("akka.persistence.journal.sql.table-mapping"));
        Assert.Equal(1, persistence.GetInt("akka.persistence.journal.sql.parallelism"));
        Assert.Equal("SQLite.MS", persistence.GetString("akka.persistence.snapshot-store.sql.provider-name"));

        _env["XDG_STATE_HOME"] = "/var/state";
        Assert.Equal("/var/state/collector-cluster/journal.db", Load(Account()).Journal.SqliteFile);
        Assert.Equal(Path.Combine(_dir, "j.db"), Load(Account() + "\ncollector.journal.connection-string = \"Data Source=j.db\"").Journal.SqliteFile);
    }

    [Fact]
    public void Journal_provider_is_checked()
    {
        Assert.Contains("collector.journal.provider: 'mysql' is not one of sqlite, postgresql", Invalid(Account() + "\ncollector.journal.provider = mysql").Message);
        Assert.Contains("connection-string is required with provider = postgresql", Invalid(Account() + "\ncollector.journal.provider = postgresql").Message);
        var pg = Load(Account() + "\ncollector.journal { provider = postgresql, connection-string = \"Host=127.0.0.1;Database=cc\" }");
        Assert.Equal("PostgreSQL.15", PersistenceConfig(pg).GetString("akka.persistence.journal.sql.provider-name"));
        Assert.Equal("postgresql", PersistenceConfig(pg).GetString("akka.persistence.snapshot-store.sql.table-mapping"));
        Assert.Equal(3, PersistenceConfig(pg).GetInt("akka.persistence.journal.sql.parallelism"));
    }

    /// <summary>The journal settings the node's actor system gets (the Sql.Hosting options as HOCON).</summary>
    private static Akka.Configuration.Config PersistenceConfig(CollectorOptions options) =>
        Hosting.CollectorAkkaExtensions.StandaloneSetup(options, Akka.Configuration.Config.Empty).Get<Akka.Actor.BootstrapSetup>().Value.Config.Value;

    [Fact]
    public void Multiples_of_intervals_are_warned_about()
    {
        Assert.NotEmpty(Load(TwoAccounts("fred", "check-every = 3", "joe", "check-every = 6")).Warnings);
        Assert.Empty(Load(TwoAccounts("fred", "check-every = 5", "joe", "check-every = 7")).Warnings);
    }

    [Theory]
    [InlineData("collector { accounts = [ } ]", "line 1: '}' closes the '[' opened on line 1")]
    [InlineData("collector {\n  accounts = [\n", "line 2: '[' is never closed")]
    [InlineData("collector.jitter = 0.1 }", "line 1: '}' without a matching '{'")]
    [InlineData("collector.journal.provider = \"sqlite", "line 1: unterminated string")]
    public void Not_hocon_is_reported_with_the_file_and_line(string hocon, string expected)
    {
        var e = Invalid(hocon);
        Assert.Contains("node.hocon: not valid HOCON: " + expected, e.Message);
    }

    [Fact]
    public void Brackets_inside_strings_and_comments_do_not_count() =>
        Assert.Single(Load(Account() + "\n# a comment with [ and {\ncollector.state-directory = \"odd[dir}\"").Accounts);

    [Fact]
    public void Missing_file_is_reported() =>
        Assert.Contains("does not exist", Assert.Throws<ConfigurationException>(() => CollectorConfigLoader.Load(Path.Combine(_dir, "none.hocon"))).Message);

    [Fact]
    public void Shipped_example_is_valid_as_shipped()
    {
        // The README's first command runs this file on a fresh machine: it must load without any setup.
        var example = Path.Combine(RepositoryRoot(), "hocon", "accounts.example.hocon");
        var options = CollectorConfigLoader.Load(example, _ => null);
        Assert.Equal(["fred", "office"], options.Accounts.Select(a => a.Id));
        Assert.Equal(TlsMode.Implicit, options.Accounts[0].Ssl);
        Assert.Equal(TlsMode.StartTls, options.Accounts[1].Ssl);
    }

    public void Dispose() => Directory.Delete(_dir, true);

    // The source file's own path: test outputs may live outside the tree (CC_ARTIFACTS).
    internal static string RepositoryRoot([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", ".."));
}
