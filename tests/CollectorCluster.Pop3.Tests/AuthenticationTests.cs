using System.Text;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Pop3.Protocol;

namespace CollectorCluster.Pop3.Tests;

/// <summary>One login attempt with the configured method; refusals keep the server's words and never the password.</summary>
public sealed class AuthenticationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task Preamble(Pop3Script s, string greeting = "+OK ready") =>
        s.SendAsync(greeting).ContinueWith(_ => s.ExpectAsync("CAPA", "+OK\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nSASL PLAIN\r\n."), TaskScheduler.Default).Unwrap();

    [Fact]
    public async Task Pass_err_auth_is_an_authentication_failure_with_server_text_and_no_password()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await Preamble(s);
            await s.ExpectAsync("USER fred", "+OK");
            await s.ExpectAsync("PASS s3cret", "-ERR [AUTH] Authentication failed.");
            Assert.Null(await s.ReadLineAsync()); // exactly one attempt, then hang-up
        });
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct));
        Assert.Equal(Pop3ErrorKind.Authentication, ex.Kind);
        Assert.Equal(Pop3Stage.Authenticate, ex.Stage);
        Assert.Equal("AUTH", ex.ResponseCode);
        Assert.False(ex.IsTransient);
        Assert.Equal("-ERR [AUTH] Authentication failed.", ex.ServerReply);
        Assert.Equal($"Authentication failed at 127.0.0.1:{server.Port} for user 'fred': -ERR [AUTH] Authentication failed.", ex.Message);
        Assert.DoesNotContain(TestOptions.Password, ex.ToString());
        await server.Completion;
    }

    [Fact]
    public async Task Server_echoing_the_password_is_scrubbed()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await Preamble(s);
            await s.ExpectAsync("USER fred", "+OK");
            await s.ExpectAsync("PASS s3cret", "-ERR bad password s3cret");
        });
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct));
        Assert.Equal(Pop3ErrorKind.Authentication, ex.Kind);
        Assert.DoesNotContain(TestOptions.Password, ex.ToString());
        Assert.DoesNotContain(TestOptions.Password, ex.ServerReply!);
        Assert.Contains(Secret.Redacted, ex.Message);
    }

    [Theory]
    [InlineData("-ERR [IN-USE] Mailbox locked by another session", "IN-USE")]
    [InlineData("-ERR [LOGIN-DELAY] Wait 300 seconds", "LOGIN-DELAY")]
    [InlineData("-ERR [SYS/TEMP] Storage unavailable", "SYS/TEMP")]
    public async Task Transient_response_codes_at_login_are_transient(string reply, string code)
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await Preamble(s);
            await s.ExpectAsync("USER fred", "+OK");
            await s.ExpectAsync("PASS s3cret", reply);
        });
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct));
        Assert.Equal(code, ex.ResponseCode);
        Assert.True(ex.IsTransient);
        Assert.Equal(Pop3ErrorKind.ServerRefused, ex.Kind);
        Assert.Equal(Pop3Stage.Authenticate, ex.Stage);
        Assert.Equal(reply, ex.ServerReply);
    }

    [Fact]
    public void Apop_digest_matches_rfc_1939_example()
    {
        Assert.Equal("c4c9334bac560ecc979e58001b3e22fb", Pop3Authenticator.ApopDigest("<1896.697170952@dbc.mtview.ca.us>", "tanstaaf"));
        Assert.Equal("<1896.697170952@dbc.mtview.ca.us>", Pop3Authenticator.ApopTimestamp("POP3 server ready <1896.697170952@dbc.mtview.ca.us>"));
    }

    [Fact]
    public async Task Apop_sends_the_rfc_1939_digest()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await Preamble(s, "+OK POP3 server ready <1896.697170952@dbc.mtview.ca.us>");
            await s.ExpectAsync("APOP mrose c4c9334bac560ecc979e58001b3e22fb", "+OK mrose's maildrop has 2 messages");
            await s.ExpectAsync("CAPA", "+OK\r\nUIDL\r\n.");
        });
        var options = TestOptions.For(server.Port, AuthMethod.Apop, user: "mrose", password: "tanstaaf");
        await using var session = await Pop3Connector.ConnectAsync(options, Ct);
        await server.Completion;
    }

    [Fact]
    public async Task Apop_without_greeting_timestamp_fails_without_sending_anything()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await Preamble(s);
            Assert.Null(await s.ReadLineAsync());
        });
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(server.Port, AuthMethod.Apop), Ct));
        Assert.Equal(Pop3ErrorKind.Authentication, ex.Kind);
        Assert.Contains("timestamp", ex.Message);
        await server.Completion;
    }

    [Fact]
    public async Task Sasl_plain_exchange()
    {
        var expected = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0fred\0s3cret"));
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await Preamble(s);
            await s.ExpectAsync("AUTH PLAIN", "+ ");
            await s.ExpectAsync(expected, "+OK Logged in.");
            await s.ExpectAsync("CAPA", "+OK\r\nUIDL\r\n.");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port, AuthMethod.Plain), Ct);
        await server.Completion;
    }

    [Fact]
    public async Task Sasl_refusal_keeps_the_response_code()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await Preamble(s);
            await s.ExpectAsync("AUTH LOGIN", "+ VXNlcm5hbWU6");
            await s.ExpectAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes("fred")), "+ UGFzc3dvcmQ6");
            await s.ExpectAsync(Convert.ToBase64String(Encoding.UTF8.GetBytes("s3cret")), "-ERR [AUTH] Nope");
        });
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(server.Port, AuthMethod.Login), Ct));
        Assert.Equal(Pop3ErrorKind.Authentication, ex.Kind);
        Assert.Equal("AUTH", ex.ResponseCode);
        Assert.DoesNotContain(TestOptions.Password, ex.ToString());
        await server.Completion;
    }
}
