using CollectorCluster.Core.Accounts;
using CollectorCluster.Node.Configuration;
using CollectorCluster.Testing;

namespace CollectorCluster.Node.Tests;

/// <summary>The <c>auth = xoauth2 | oauthbearer</c> and <c>oauth2 { ... }</c> keys, read strictly.</summary>
public sealed class OAuth2ConfigurationTests : IDisposable
{
    private const string Refresh = "1//refresh-SECRET-" + TestSecrets.Marker + "config";
    private readonly string _dir = Directory.CreateTempSubdirectory("cc-oauth2-config-").FullName;

    private CollectorOptions Load(string account)
    {
        var file = Path.Combine(_dir, "node.hocon");
        File.WriteAllText(file, $$"""
            collector.accounts = [ {
              id = gm, pop3-server = "pop.gmail.com", pop3-account = "fred@gmail.com", ssl = implicit
              mailbox = "maildir:/srv/mail/gm"
              {{account}}
            } ]
            """);
        return CollectorConfigLoader.Load(file, _ => null);
    }

    private string Invalid(string account) => Assert.Throws<ConfigurationException>(() => Load(account)).Message;

    [Theory]
    [InlineData("xoauth2", AuthMethod.XOAuth2)]
    [InlineData("oauthbearer", AuthMethod.OAuthBearer)]
    public void Oauth2_account_reads_its_client_and_needs_no_password(string auth, AuthMethod method)
    {
        var a = Assert.Single(Load($$"""
            auth = {{auth}}
            oauth2 { token-endpoint = "https://oauth2.googleapis.com/token", client-id = "cid", client-secret = "cs-SECRET", refresh-token = "{{Refresh}}", scope = "https://mail.google.com/" }
            """).Accounts);
        Assert.Equal(method, a.Auth);
        Assert.Equal(new Uri("https://oauth2.googleapis.com/token"), a.OAuth2!.TokenEndpoint);
        Assert.Equal("cid", a.OAuth2.ClientId);
        Assert.Equal(Refresh, a.OAuth2.RefreshToken.Reveal());
        Assert.Equal("cs-SECRET", a.OAuth2.ClientSecret!.Reveal());
        Assert.Equal("https://mail.google.com/", a.OAuth2.Scope);
        Assert.DoesNotContain("SECRET", a.ToString());
    }

    [Theory]
    [InlineData("auth = xoauth2", "oauth2: required with auth = xoauth2")]
    [InlineData("auth = xoauth2\noauth2 { token-endpoint = \"https://t/token\", client-id = c }", "oauth2.refresh-token: is required")]
    [InlineData("auth = xoauth2\noauth2 { token-endpoint = \"http://auth.example.com/token\", client-id = c, refresh-token = r }", "oauth2.token-endpoint: must be https")]
    [InlineData("auth = xoauth2\noauth2 { token-endpoint = \"https://t/token\", client-id = c, refresh-token = r, refresh = x }", "oauth2.refresh: unknown key")]
    [InlineData("auth = xoauth2\npassword = p\noauth2 { token-endpoint = \"https://t/token\", client-id = c, refresh-token = r }", "password: not used with auth = xoauth2")]
    [InlineData("password = p\noauth2 { token-endpoint = \"https://t/token\", client-id = c, refresh-token = r }", "oauth2: only used with auth = xoauth2")]
    public void Bad_oauth2_settings_are_named(string account, string expected)
    {
        var message = Invalid(account);
        Assert.Contains("(id = gm)", message);
        Assert.Contains(expected, message);
    }

    [Fact]
    public void Plain_http_is_accepted_on_loopback_only()
    {
        var a = Assert.Single(Load("auth = oauthbearer\noauth2 { token-endpoint = \"http://127.0.0.1:8080/token\", client-id = c, refresh-token = r }").Accounts);
        Assert.True(a.OAuth2!.TokenEndpoint.IsLoopback);
        Assert.Null(a.OAuth2.ClientSecret);
    }

    public void Dispose() => Directory.Delete(_dir, true);
}
