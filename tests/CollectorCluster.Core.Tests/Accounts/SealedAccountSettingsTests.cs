using System.Reflection;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Planning;

namespace CollectorCluster.Core.Tests.Accounts;

/// <summary>
/// Settings as they travel between nodes and rest in an account's journal: every key survives sealing and opening
/// (a key added to <see cref="AccountSettings"/> without a place here fails the first test), secrets never appear in
/// the sealed form, and the changed keys are named.
/// </summary>
public class SealedAccountSettingsTests
{
    /// <summary>A reversible stand-in for the cluster key (pure logic under test, not the cipher).</summary>
    private sealed class ReversingSealer : ISecretSealer
    {
        public SealedPassword Seal(string context, Secret secret) => new(context, new string(secret.Reveal().Reverse().ToArray()));

        public Secret Open(string context, SealedPassword sealedSecret) =>
            sealedSecret.Nonce == context ? new Secret(new string(sealedSecret.Ciphertext.Reverse().ToArray())) : throw new InvalidOperationException("wrong context");
    }

    private static AccountSettings EveryKeySet() => new()
    {
        Id = "acct",
        Pop3Server = "pop.example",
        Port = 1995,
        Pop3Account = "fred",
        Password = new Secret("pw-1"),
        Ssl = TlsMode.Implicit,
        VerifyCertificate = false,
        CertificateSha256 = "ab12",
        Auth = AuthMethod.XOAuth2,
        LeaveMailOnServer = true,
        DeleteAfterDays = 7,
        MirrorMailbox = true,
        MirrorMaxShare = 0.25,
        LocalAreaNetwork = false,
        DownloadSmallestFirst = false,
        CheckEvery = TimeSpan.FromMinutes(3),
        Mailbox = "maildir:/srv/mail",
        Priority = 5,
        Enabled = false,
        ConnectTimeout = TimeSpan.FromSeconds(7),
        CommandTimeout = TimeSpan.FromSeconds(9),
        MaxMessageSize = 1234,
        Oversize = OversizeHandling.Postpone,
        CommitEvery = new CommitEvery(11, 12),
        OAuth2 = new OAuth2Settings(new Uri("https://idp.example/token"), "client", new Secret("cs-value-9"), new Secret("rt-value-8"), "scope"),
        Multidrop = new CollectorCluster.Core.Routing.MultidropSettings
        {
            LocalDomains = ["example.com"],
            Aliases = new Dictionary<string, IReadOnlyList<string>> { ["postmaster"] = ["ann"] },
            Default = "ann",
            Destinations = new Dictionary<string, string> { ["ann"] = "maildir:/srv/ann" },
            DuplicateWindow = TimeSpan.FromDays(2),
        },
        ImportedUidls = "/srv/c/uidls/fred.uidls",
    };

    [Fact]
    public void Every_key_survives_sealing_and_opening()
    {
        var settings = EveryKeySet();
        var defaults = new AccountSettings { Id = "x", Pop3Server = "h", Port = 110, Pop3Account = "u", Password = new Secret(""), Mailbox = "m" };
        // The fixture must differ from the defaults in every property, or a forgotten key could round-trip by luck.
        foreach (var p in typeof(AccountSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
        {
            Assert.False(Equals(p.GetValue(settings), p.GetValue(defaults)), $"the fixture leaves {p.Name} at its default: set it");
        }

        var opened = SealedAccountSettings.Seal(settings, new ReversingSealer()).Open(new ReversingSealer());
        Assert.Equal(settings, opened);
    }

    [Fact]
    public void The_sealed_form_holds_no_secret_in_the_clear()
    {
        var sealedSettings = SealedAccountSettings.Seal(EveryKeySet(), new ReversingSealer());
        var text = sealedSettings.ToString() + sealedSettings.Settings;
        Assert.DoesNotContain("pw-1", text);
        Assert.DoesNotContain("cs-value-9", text);
        Assert.DoesNotContain("rt-value-8", text);
        Assert.Equal("acct/oauth2-refresh-token", sealedSettings.OAuth2!.RefreshToken.Nonce); // sealed for its own field and account
    }

    [Fact]
    public void Changed_keys_are_named_as_the_accounts_file_names_them_and_secrets_only_named()
    {
        var before = EveryKeySet();
        var after = before with { Password = new Secret("pw-2"), CheckEvery = TimeSpan.FromMinutes(4), Pop3Server = "other.example", CommitEvery = new CommitEvery(11, 99) };
        Assert.Equal(["pop3-server", "check-every", "commit-every.bytes", "password"], SealedAccountSettings.ChangedKeys(before, after).OrderBy(k => k == "password").ThenBy(k => k == "commit-every.bytes").ToList());
        Assert.Empty(SealedAccountSettings.ChangedKeys(before, EveryKeySet()));
    }

    [Fact]
    public void A_stored_entry_missing_a_key_is_refused_naming_it()
    {
        var sealedSettings = SealedAccountSettings.Seal(EveryKeySet(), new ReversingSealer());
        var broken = sealedSettings with { Settings = sealedSettings.Settings with { Mailbox = null } };
        var e = Assert.Throws<InvalidDataException>(() => broken.Open(new ReversingSealer()));
        Assert.Contains("'mailbox'", e.Message);
        Assert.Contains("'acct'", e.Message);
    }
}
