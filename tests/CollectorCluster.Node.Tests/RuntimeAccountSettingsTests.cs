using Akka.Actor;
using Akka.Hosting;
using CollectorCluster.Actors.Persistence;
using CollectorCluster.Actors.Registry;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;
using CollectorCluster.Node.Commands;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace CollectorCluster.Node.Tests;

/// <summary>
/// Accounts added at run time: <c>collector add</c>'s options read by the accounts file's rules into typed options,
/// resolved over the defaults, edited key by key; and <c>RuntimeAccountAdded.v1</c> entries (settings as HOCON text)
/// upcast by the journal's read adapter, in memory and through a real journal.
/// </summary>
public sealed class RuntimeAccountSettingsTests : IDisposable
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly SealedPassword Sealed = new("bm9uY2Vub25jZTEy", "Y2lwaGVydGV4dA==");
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-runtime-").FullName;

    // RuntimeAccountAdded.v1 as `collector add extra --server 127.0.0.1:9312 --user fred --tls implicit --mailbox maildir:mail --every 24h` journaled it.
    private static readonly string V1Settings =
        """{ id = "extra", pop3-server = "127.0.0.1", port = 9312, pop3-account = "fred", ssl = "implicit", mailbox = "maildir:mail", check-every = "24h", leave-mail-on-server = on, }""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Options_read_by_the_file_rules_resolve_to_what_the_file_gives()
    {
        var given = AccountConfigParser.ReadOptions("extra", Pairs(), partial: false);
        Assert.Equal(TimeSpan.FromHours(24), given.CheckEvery);
        Assert.Null(given.Priority);

        var resolved = AccountConfigParser.Resolve("extra", given, new Secret("pw"), _dir);
        File.WriteAllText(Path.Combine(_dir, "node.hocon"), $"collector.accounts = [ {V1Settings[..V1Settings.LastIndexOf('}')]} password = \"pw\" }} ]");
        Assert.Equal(Assert.Single(CollectorConfigLoader.Load(Path.Combine(_dir, "node.hocon"), _ => null).Accounts), resolved);
        Assert.Equal("maildir:" + Path.Combine(_dir, "mail"), resolved.Mailbox);
    }

    [Fact]
    public void An_edit_overlays_the_changed_keys_and_defaults_follow_them()
    {
        var given = AccountConfigParser.ReadOptions("extra", Pairs().Where(p => p.Key != "port"), partial: false);
        Assert.Equal(995, AccountConfigParser.Resolve("extra", given, new Secret("pw"), _dir).Port);

        var edited = AccountConfigParser.ReadOptions("extra", [("ssl", "none"), ("priority", "5")], partial: true).Over(given);
        var settings = AccountConfigParser.Resolve("extra", edited, new Secret("pw"), _dir);
        Assert.Equal(110, settings.Port); // no port was given: the default follows ssl, as in the file
        Assert.Equal(5, settings.Priority);
        Assert.Equal(TimeSpan.FromHours(24), settings.CheckEvery);
        Assert.True(settings.LeaveMailOnServer);
    }

    [Theory]
    [InlineData("colour", "red", "options (id = extra): colour: unknown key")]
    [InlineData("check-every", "soon", "options (id = extra): check-every: 'soon' is not a duration")]
    [InlineData("port", "0", "options (id = extra): port: 0 is out of range")]
    public void Bad_options_name_the_key_and_the_problem(string key, string value, string expected)
    {
        var e = Assert.Throws<ConfigurationException>(() => AccountConfigParser.ReadOptions("extra", [.. Pairs(), (key, value)], partial: false));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Required_keys_are_required_of_an_add_not_of_an_edit_and_rules_between_keys_hold()
    {
        Assert.Contains("pop3-server: is required", Assert.Throws<ConfigurationException>(() => AccountConfigParser.ReadOptions("extra", [("pop3-account", "fred")], partial: false)).Message);
        var edit = AccountConfigParser.ReadOptions("extra", [("leave-mail-on-server", "off")], partial: true);
        var withExpiry = AccountConfigParser.ReadOptions("extra", [.. Pairs(), ("delete-after-days", "3")], partial: false);
        var e = Assert.Throws<ConfigurationException>(() => AccountConfigParser.Resolve("extra", edit.Over(withExpiry), new Secret("pw"), _dir));
        Assert.Contains("options (id = extra): delete-after-days: only applies with leave-mail-on-server = on", e.Message);
    }

    [Fact]
    public void OAuth2_accounts_are_refused_at_run_time()
    {
        var given = AccountConfigParser.ReadOptions("extra", [.. Pairs(), ("auth", "xoauth2")], partial: false);
        var e = Assert.Throws<ConfigurationException>(() => AccountConfigParser.Resolve("extra", given, new Secret("pw"), _dir));
        Assert.Contains("auth: xoauth2 and oauthbearer need an oauth2", e.Message);
    }

    [Fact]
    public void A_v1_payload_deserializes_upcasts_and_applies()
    {
        using var system = ActorSystem.Create("upcast");
        var serializer = new AccountEventSerializer((ExtendedActorSystem)system);
        var stored = serializer.FromBinary(V1Payload(), "RuntimeAccountAdded.v1");

        var events = new RuntimeAccountV1Adapter().FromJournal(stored, "RuntimeAccountAdded.v1").Events;
        var added = Assert.IsType<RuntimeAccountAdded>(Assert.Single(events));
        var state = AccountRegistryState.Empty.Apply(added);

        var settings = AccountConfigParser.Resolve("extra", state.Accounts["extra"].Settings, new Secret("pw"), _dir);
        Assert.Equal(AccountConfigParser.Resolve("extra", AccountConfigParser.ReadOptions("extra", Pairs(), partial: false), new Secret("pw"), _dir), settings);
        Assert.Equal(Sealed, state.Accounts["extra"].Password);
        Assert.Equal(At, state.Accounts["extra"].At);
        Assert.Equal("RuntimeAccountAdded.v2", serializer.Manifest(added));
    }

    [Fact]
    public async Task A_v1_entry_in_the_journal_recovers_typed_and_a_later_v2_entry_replaces_it()
    {
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, $"collector.state-directory = \"{Path.Combine(_dir, "state")}\"");
        var options = CollectorConfigLoader.Load(file, _ => null);
        await using (var node = await StartAsync(options))
        {
            Assert.Empty((await AskAsync<RuntimeAccountsPage>(node, new GetRuntimeAccounts(null, 10))).Accounts); // the journal's tables exist now
        }

        await using (var connection = new SqliteConnection(options.Journal.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            await using var insert = connection.CreateCommand();
            insert.CommandText = """
                INSERT INTO event_journal (timestamp, is_deleted, persistence_id, sequence_nr, payload, manifest, serializer_id)
                VALUES (1, 0, 'account-registry', 1, $payload, 'RuntimeAccountAdded.v1', $serializer)
                """;
            insert.Parameters.AddWithValue("$payload", V1Payload());
            insert.Parameters.AddWithValue("$serializer", AccountEventSerializer.SerializerId);
            await insert.ExecuteNonQueryAsync(Ct);
        }

        await using (var node = await StartAsync(options))
        {
            var recovered = Assert.Single((await AskAsync<RuntimeAccountsPage>(node, new GetRuntimeAccounts(null, 10))).Accounts);
            Assert.Equal(9312, recovered.Settings.Port);
            Assert.Equal(TimeSpan.FromHours(24), recovered.Settings.CheckEvery);
            await AskAsync<RegistryUpdated>(node, new ReplaceRuntimeAccount(recovered with { Settings = recovered.Settings with { Priority = 7 } }));
        }

        await using (var node = await StartAsync(options))
        {
            var recovered = Assert.Single((await AskAsync<RuntimeAccountsPage>(node, new GetRuntimeAccounts(null, 10))).Accounts);
            Assert.Equal(7, recovered.Settings.Priority);
            Assert.Equal(9312, recovered.Settings.Port);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (string Key, string Value)[] Pairs() =>
    [
        ("pop3-server", "127.0.0.1"), ("port", "9312"), ("pop3-account", "fred"), ("ssl", "implicit"), ("mailbox", "maildir:mail"),
        ("check-every", "24h"), ("leave-mail-on-server", "on"),
    ];

    /// <summary>The daemon's node (a cluster of one, the sharded registry): the journal, the serializers and the read adapter as it has them.</summary>
    private static Task<CollectorNode> StartAsync(CollectorOptions options) =>
        CollectorNode.StartAsync(options, RunCommand.Node, Ct);

    /// <summary>Asks the registry, again while the cluster of one forms and sharding places it.</summary>
    private static async Task<T> AskAsync<T>(CollectorNode node, IRegistryCommand message)
    {
        var registry = await node.Host.Services.GetRequiredService<ActorRegistry>().GetAsync<AccountRegistry>(Ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await registry.Ask<T>(message, TimeSpan.FromSeconds(10), Ct);
            }
            catch (AskTimeoutException) when (attempt < 6)
            {
                // the cluster of one is still forming
            }
        }
    }

    /// <summary>A <c>RuntimeAccountAdded.v1</c> journal payload, as the v1 serializer wrote it.</summary>
    private static byte[] V1Payload() => System.Text.Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(new
    {
        id = "extra",
        settings = V1Settings,
        password = new { nonce = Sealed.Nonce, ciphertext = Sealed.Ciphertext },
        at = At,
    }));
}
