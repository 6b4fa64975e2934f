using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Pop3.Tests;

/// <summary>Greeting, CAPA, STLS refusal and timeouts.</summary>
public sealed class ConnectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Greeting_err_with_sys_temp_is_a_transient_server_refusal()
    {
        await using var server = ScriptedPop3Server.Start(s => s.SendAsync("-ERR [SYS/TEMP] Maintenance, try later"));
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct));
        Assert.Equal(Pop3Stage.Greeting, ex.Stage);
        Assert.Equal(Pop3ErrorKind.ServerRefused, ex.Kind);
        Assert.Equal("SYS/TEMP", ex.ResponseCode);
        Assert.True(ex.IsTransient);
        Assert.Equal("-ERR [SYS/TEMP] Maintenance, try later", ex.ServerReply);
        Assert.Contains($"127.0.0.1:{server.Port}", ex.Message);
        Assert.Contains("Maintenance, try later", ex.Message);
    }

    [Fact]
    public async Task StartTls_required_but_not_offered_fails_without_downgrade()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.SendAsync("+OK ready");
            await s.ExpectAsync("CAPA", "+OK\r\nUIDL\r\nUSER\r\n.");
            Assert.Null(await s.ReadLineAsync()); // the client must hang up, never send USER
        });
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(server.Port, tls: TlsMode.StartTls), Ct));
        Assert.Equal(Pop3ErrorKind.TlsUnavailable, ex.Kind);
        Assert.Equal(Pop3Stage.Tls, ex.Stage);
        Assert.Contains("STLS", ex.Message);
        await server.Completion;
    }

    [Fact]
    public async Task User_pass_success_reads_capabilities_after_login()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync("UIDL\r\nUSER", capaAfterLogin: "TOP\r\nUIDL\r\nPIPELINING\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\nSASL PLAIN login\r\nLOGIN-DELAY 300\r\nEXPIRE 30 USER\r\nIMPLEMENTATION Scripted 1.0");
            await s.ExpectAsync("QUIT", "+OK bye");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        var caps = session.Capabilities;
        Assert.True(caps.CapaSupported);
        Assert.True(caps.Uidl);
        Assert.True(caps.Top);
        Assert.True(caps.Pipelining);
        Assert.False(caps.Stls);
        Assert.True(caps.RespCodes);
        Assert.True(caps.AuthRespCode);
        Assert.Equal(["PLAIN", "LOGIN"], caps.SaslMechanisms);
        Assert.Equal(300, caps.LoginDelaySeconds);
        Assert.Equal("30 USER", caps.Expire);
        Assert.Equal("Scripted 1.0", caps.Implementation);
        Assert.True(await session.QuitAsync(Ct));
        await server.Completion;
    }

    [Fact]
    public async Task Capa_err_means_no_capa_and_uidl_assumed()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.SendAsync("+OK ready");
            await s.ExpectAsync("CAPA", "-ERR unknown command");
            await s.ExpectAsync("USER fred", "+OK");
            await s.ExpectAsync("PASS s3cret", "+OK");
            await s.ExpectAsync("CAPA", "-ERR unknown command");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        Assert.False(session.Capabilities.CapaSupported);
        Assert.True(session.Capabilities.Uidl);
        Assert.False(session.Capabilities.Pipelining);
        await server.Completion;
    }

    [Fact]
    public async Task Silent_server_times_out()
    {
        var release = new TaskCompletionSource();
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.SendAsync("+OK ready");
            await s.ExpectAsync("CAPA");
            await release.Task; // never answers
        });
        var options = TestOptions.For(server.Port, commandTimeout: TimeSpan.FromMilliseconds(200));
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(options, Ct));
        release.SetResult();
        Assert.Equal(Pop3ErrorKind.Timeout, ex.Kind);
        Assert.Equal(Pop3Stage.Capabilities, ex.Stage);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public async Task Garbled_greeting_is_a_protocol_error()
    {
        await using var server = ScriptedPop3Server.Start(s => s.SendAsync("HELLO there"));
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct));
        Assert.Equal(Pop3ErrorKind.Protocol, ex.Kind);
        Assert.Contains("\"HELLO there\"", ex.Message);
    }

    [Fact]
    public async Task Refused_port_is_a_network_error()
    {
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(port), Ct));
        Assert.Equal(Pop3ErrorKind.Network, ex.Kind);
        Assert.Equal(Pop3Stage.Connect, ex.Stage);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public void Options_from_account_never_print_the_password()
    {
        var account = new AccountSettings
        {
            Id = "a1",
            Pop3Server = "mail.example.com",
            Port = 995,
            Pop3Account = "fred",
            Password = new Secret(TestOptions.Password),
            Ssl = TlsMode.Implicit,
            Auth = AuthMethod.CramMd5,
            Mailbox = "maildir:/tmp/x",
        };
        var options = Pop3ConnectOptions.FromAccount(account);
        Assert.Equal("mail.example.com", options.Host);
        Assert.Equal(995, options.Port);
        Assert.Equal(TlsMode.Implicit, options.Tls);
        Assert.Equal(AuthMethod.CramMd5, options.Auth);
        Assert.Equal(TestOptions.Password, options.Password.Reveal());
        Assert.DoesNotContain(TestOptions.Password, options.ToString());
    }
}
