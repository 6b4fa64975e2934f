using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Planning;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Node.Web;

namespace CollectorCluster.WebTests;

/// <summary>
/// The Add / Properties form shows every key of the accounts file's table (bar the password keys, OAuth2, multidrop and
/// imported-uidls, which stay in the file) as the text the reader takes back, and submits only what the operator changed.
/// </summary>
public sealed class AccountFormTests
{
    private static readonly AccountSettings Unusual = new()
    {
        Id = "fred", Pop3Server = "pop.example", Port = 1995, Pop3Account = "fred.bloggs", Password = new Secret("pw"), Ssl = TlsMode.Implicit,
        VerifyCertificate = false, CertificateSha256 = new string('a', 64), Auth = AuthMethod.CramMd5, LeaveMailOnServer = true, DeleteAfterDays = 30,
        MirrorMailbox = true, MirrorMaxShare = 0.25, LocalAreaNetwork = false, DownloadSmallestFirst = false, CheckEvery = TimeSpan.FromSeconds(90),
        Mailbox = "maildir:/srv/mail/fred", Priority = -3, Enabled = false, ConnectTimeout = TimeSpan.FromSeconds(12), CommandTimeout = TimeSpan.FromMinutes(2),
        MaxMessageSize = 10_485_760, CommitEvery = new CommitEvery(7, 4096), Oversize = OversizeHandling.Postpone,
    };

    [Fact]
    public void Settings_written_as_keys_read_back_to_the_same_settings()
    {
        var texts = AccountKeyText.Of(Unusual);
        var options = AccountConfigParser.ReadOptions("fred", texts.Where(kv => kv.Key != "id" && kv.Value.Length > 0).Select(kv => (kv.Key, kv.Value)), partial: false);
        var read = AccountConfigParser.Resolve("fred", options, new Secret("pw"), "/");
        Assert.Equal(Unusual with { Password = read.Password }, read);
    }

    [Fact]
    public void The_form_has_a_field_for_every_key_but_the_password_keys_oauth2_and_the_file_only_ones()
    {
        var html = new Html();
        AccountForm.Fields(html, AccountForm.Defaults, adding: true, editable: true);
        var page = html.ToString();
        foreach (var key in AccountKeys.All.Select(k => k.Name).Where(k => k is not ("password-file" or "password-env" or "oauth2" or "commit-every" or "multidrop" or "imported-uidls")))
        {
            Assert.Contains($"name=\"{key}\"", page, StringComparison.Ordinal);
        }

        Assert.Contains("name=\"commit-every.messages\"", page, StringComparison.Ordinal);
        Assert.Contains("name=\"commit-every.bytes\"", page, StringComparison.Ordinal);
        Assert.Contains("type=\"password\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"oauth2\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"multidrop\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_changed_keys_become_options_and_the_defaults_are_the_readers()
    {
        Assert.Equal("110", AccountForm.Defaults["port"]);
        Assert.Equal("10m", AccountForm.Defaults["check-every"]);
        Assert.Equal("on", AccountForm.Defaults["download-smallest-first"]);
        var submitted = new Dictionary<string, string>(AccountForm.Defaults) { ["pop3-server"] = "pop.example", ["check-every"] = "5m", ["priority"] = " 0 " };
        Assert.Equal(["--pop3-server", "pop.example", "--check-every", "5m"], AccountForm.Options(submitted, AccountForm.Defaults));
    }

    [Fact]
    public void Values_are_encoded_never_markup()
    {
        var html = new Html();
        AccountForm.Fields(html, new Dictionary<string, string> { ["mailbox"] = "\"><script>alert(1)</script>" }, adding: false, editable: false);
        Assert.DoesNotContain("<script>", html.ToString(), StringComparison.Ordinal);
        Assert.Contains("&quot;&gt;&lt;script&gt;", html.ToString(), StringComparison.Ordinal);
    }
}
