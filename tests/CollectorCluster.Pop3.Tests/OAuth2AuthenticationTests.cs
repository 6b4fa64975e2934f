using System.Text;
using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Pop3.Tests;

/// <summary>XOAUTH2 and OAUTHBEARER as the server sees them: the exact SASL payload, and a refusal that never shows the token.</summary>
public sealed class OAuth2AuthenticationTests
{
    private const string Token = "ya29.test-access-token";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    private static Task Preamble(Pop3Script s) =>
        s.SendAsync("+OK ready").ContinueWith(_ => s.ExpectAsync("CAPA", "+OK\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nSASL XOAUTH2 OAUTHBEARER\r\n."), TaskScheduler.Default).Unwrap();

    [Fact]
    public async Task Xoauth2_sends_user_and_bearer_token()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await Preamble(s);
            await s.ExpectAsync("AUTH XOAUTH2", "+ ");
            await s.ExpectAsync(B64($"user=fred\u0001auth=Bearer {Token}\u0001\u0001"), "+OK Logged in.");
            await s.ExpectAsync("CAPA", "+OK\r\nUIDL\r\n.");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port, AuthMethod.XOAuth2, password: Token), Ct);
        await server.Completion;
    }

    [Fact]
    public async Task Oauthbearer_sends_authzid_host_port_and_bearer_token()
    {
        var port = 0;
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await Preamble(s);
            await s.ExpectAsync("AUTH OAUTHBEARER", "+ ");
            await s.ExpectAsync(B64($"n,a=fred,\u0001host=127.0.0.1\u0001port={Volatile.Read(ref port)}\u0001auth=Bearer {Token}\u0001\u0001"), "+OK Logged in.");
            await s.ExpectAsync("CAPA", "+OK\r\nUIDL\r\n.");
        });
        Volatile.Write(ref port, server.Port);
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port, AuthMethod.OAuthBearer, password: Token), Ct);
        await server.Completion;
    }

    [Fact]
    public async Task A_refused_token_is_an_authentication_failure_that_never_shows_the_token()
    {
        var errorJson = B64("{\"status\":\"401\",\"schemes\":\"bearer\",\"scope\":\"https://mail.google.com/\"}");
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await Preamble(s);
            await s.ExpectAsync("AUTH XOAUTH2", "+ ");
            await s.ExpectAsync(B64($"user=fred\u0001auth=Bearer {Token}\u0001\u0001"), "+ " + errorJson);
            await s.ExpectAsync("", $"-ERR [AUTH] Invalid credentials {Token}");
        });
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(server.Port, AuthMethod.XOAuth2, password: Token), Ct));
        Assert.Equal(Pop3ErrorKind.Authentication, ex.Kind);
        Assert.Equal("AUTH", ex.ResponseCode);
        Assert.DoesNotContain(Token, ex.ToString());
        Assert.DoesNotContain(Token, ex.ServerReply!);
    }
}
