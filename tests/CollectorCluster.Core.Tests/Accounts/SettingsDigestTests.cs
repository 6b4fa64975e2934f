using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Planning;
using static CollectorCluster.Core.Tests.AccountFixtures;

namespace CollectorCluster.Core.Tests.Accounts;

/// <summary>The canonical settings text behind the NeedsOperator digest: every setting counts, secrets never leave it.</summary>
public sealed class SettingsDigestTests
{
    private static AccountSettings Full() => Settings() with
    {
        OAuth2 = new OAuth2Settings(new Uri("https://auth.example/token"), "client", new Secret("client-secret"), new Secret("refresh"), "scope"),
        CertificateSha256 = "ab",
        DeleteAfterDays = 3,
        ImportedUidls = "/seeds/a.uidls",
        Multidrop = new CollectorCluster.Core.Routing.MultidropSettings
        {
            LocalDomains = ["example.com"],
            Aliases = new Dictionary<string, IReadOnlyList<string>> { ["sales"] = ["ann"] },
            Default = "ann",
            Destinations = new Dictionary<string, string> { ["ann"] = "maildir:/m/ann" },
        },
    };

    public static TheoryData<string> Changes => new(
        "Id", "Pop3Server", "Port", "Pop3Account", "Password", "Ssl", "VerifyCertificate", "CertificateSha256", "Auth",
        "LeaveMailOnServer", "DeleteAfterDays", "MirrorMailbox", "MirrorMaxShare", "LocalAreaNetwork", "DownloadSmallestFirst",
        "CheckEvery", "Mailbox", "Priority", "Enabled", "ConnectTimeout", "CommandTimeout", "MaxMessageSize", "Oversize",
        "CommitEvery", "ImportedUidls", "Multidrop.LocalDomains", "Multidrop.EnvelopeHeaders", "Multidrop.Aliases", "Multidrop.Default",
        "Multidrop.Destinations", "Multidrop.DuplicateWindow", "OAuth2.TokenEndpoint", "OAuth2.ClientId", "OAuth2.ClientSecret", "OAuth2.RefreshToken", "OAuth2.Scope");

    [Theory]
    [MemberData(nameof(Changes))]
    public void Every_setting_changes_the_canonical_text(string setting)
    {
        var s = Full();
        var o = s.OAuth2!;
        var m = s.Multidrop!;
        var changed = setting switch
        {
            "Id" => s with { Id = "b" },
            "Pop3Server" => s with { Pop3Server = "other" },
            "Port" => s with { Port = 110 },
            "Pop3Account" => s with { Pop3Account = "bob" },
            "Password" => s with { Password = new Secret("other") },
            "Ssl" => s with { Ssl = TlsMode.Implicit },
            "VerifyCertificate" => s with { VerifyCertificate = false },
            "CertificateSha256" => s with { CertificateSha256 = "cd" },
            "Auth" => s with { Auth = AuthMethod.Plain },
            "LeaveMailOnServer" => s with { LeaveMailOnServer = true },
            "DeleteAfterDays" => s with { DeleteAfterDays = 4 },
            "MirrorMailbox" => s with { MirrorMailbox = true },
            "MirrorMaxShare" => s with { MirrorMaxShare = 0.25 },
            "LocalAreaNetwork" => s with { LocalAreaNetwork = false },
            "DownloadSmallestFirst" => s with { DownloadSmallestFirst = false },
            "CheckEvery" => s with { CheckEvery = TimeSpan.FromMinutes(11) },
            "Mailbox" => s with { Mailbox = "maildir:/other" },
            "Priority" => s with { Priority = 3 },
            "Enabled" => s with { Enabled = false },
            "ConnectTimeout" => s with { ConnectTimeout = TimeSpan.FromSeconds(31) },
            "CommandTimeout" => s with { CommandTimeout = TimeSpan.FromSeconds(61) },
            "MaxMessageSize" => s with { MaxMessageSize = 5 },
            "Oversize" => s with { Oversize = OversizeHandling.Postpone },
            "CommitEvery" => s with { CommitEvery = new CommitEvery(5, 5) },
            "ImportedUidls" => s with { ImportedUidls = "/seeds/b.uidls" },
            "Multidrop.LocalDomains" => s with { Multidrop = m with { LocalDomains = ["example.org"] } },
            "Multidrop.EnvelopeHeaders" => s with { Multidrop = m with { EnvelopeHeaders = [] } },
            "Multidrop.Aliases" => s with { Multidrop = m with { Aliases = new Dictionary<string, IReadOnlyList<string>>() } },
            "Multidrop.Default" => s with { Multidrop = m with { Default = null } },
            "Multidrop.Destinations" => s with { Multidrop = m with { Destinations = new Dictionary<string, string> { ["ann"] = "maildir:/m/other" } } },
            "Multidrop.DuplicateWindow" => s with { Multidrop = m with { DuplicateWindow = TimeSpan.FromDays(1) } },
            "OAuth2.TokenEndpoint" => s with { OAuth2 = o with { TokenEndpoint = new Uri("https://auth.example/other") } },
            "OAuth2.ClientId" => s with { OAuth2 = o with { ClientId = "other" } },
            "OAuth2.ClientSecret" => s with { OAuth2 = o with { ClientSecret = null } },
            "OAuth2.RefreshToken" => s with { OAuth2 = o with { RefreshToken = new Secret("other") } },
            "OAuth2.Scope" => s with { OAuth2 = o with { Scope = null } },
            _ => throw new ArgumentOutOfRangeException(nameof(setting)),
        };

        Assert.NotEqual(s, changed);
        Assert.NotEqual(SettingsDigest.Canonical(s), SettingsDigest.Canonical(changed));
        Assert.Equal(SettingsDigest.Canonical(s), SettingsDigest.Canonical(Full()));
    }

    [Fact]
    public void The_table_covers_every_setting_of_the_record()
    {
        // A setting added to AccountSettings later must be added to the canonical text (and this table) too.
        var properties = typeof(AccountSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.Name != nameof(AccountSettings.Address))
            .Select(p => p.Name);
        var covered = Changes.Select(row => ((string)row.Data).Split('.')[0]).ToHashSet();
        Assert.All(properties, p => Assert.Contains(p, covered));
    }

    [Fact]
    public void The_digest_is_keyed_and_without_node_secrets_there_is_none()
    {
        Assert.Null(SettingsDigest.Of(Full(), null));
        var one = SettingsDigest.Of(Full(), new HmacSecrets([1, 2, 3]));
        var other = SettingsDigest.Of(Full(), new HmacSecrets([4, 5, 6]));
        Assert.NotNull(one);
        Assert.NotEqual(one, other);
        Assert.DoesNotContain("pw", one, StringComparison.Ordinal);
    }

    private sealed class HmacSecrets(byte[] key) : INodeSecrets
    {
        public SealedPassword Seal(string accountId, Secret secret) => throw new NotSupportedException();

        public Secret Open(string accountId, SealedPassword sealedSecret) => throw new NotSupportedException();

        public string Digest(string text) => Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(text)));
    }
}
