using CollectorCluster.Core.Policy;

namespace CollectorCluster.Pop3.Tests;

/// <summary>
/// Each RFC 2449/3206 response code as a scripted server sends it (Dovecot produces few of them), through the
/// engine's exception, the classifier and the server policy, to the account health it must produce.
/// </summary>
public sealed class ResponseCodePolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task Preamble(Pop3Script s) =>
        s.SendAsync("+OK ready").ContinueWith(_ => s.ExpectAsync("CAPA", "+OK\r\nUIDL\r\nRESP-CODES\r\nAUTH-RESP-CODE\r\n."), TaskScheduler.Default).Unwrap();

    private static PolicyDecision Decide(FailureCause cause) =>
        ServerPolicy.Decide(new PolicyInput(cause, 1, Now, null, null, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)));

    [Theory]
    [InlineData("-ERR [IN-USE] Mailbox locked by another session", FailureCause.InUse, AccountHealth.RetryingTransient)]
    [InlineData("-ERR [LOGIN-DELAY] Wait 300 seconds", FailureCause.LoginDelay, AccountHealth.RetryingTransient)]
    [InlineData("-ERR [SYS/TEMP] Storage unavailable", FailureCause.SysTemp, AccountHealth.BackingOff)]
    [InlineData("-ERR [SYS/PERM] Account disabled", FailureCause.SysPerm, AccountHealth.NeedsOperator)]
    [InlineData("-ERR [AUTH] Authentication failed", FailureCause.Authentication, AccountHealth.NeedsOperator)]
    [InlineData("-ERR invalid password", FailureCause.Authentication, AccountHealth.NeedsOperator)]
    public async Task A_refused_login_maps_to_its_cause_and_health(string reply, FailureCause cause, AccountHealth health)
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await Preamble(s);
            await s.ExpectAsync("USER fred", "+OK");
            await s.ExpectAsync("PASS s3cret", reply);
        });
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct));

        Assert.Equal(cause, Pop3FailureClassifier.Classify(ex));
        var decision = Decide(Pop3FailureClassifier.Classify(ex));
        Assert.Equal(health, decision.Health);
        Assert.Equal(health == AccountHealth.NeedsOperator, decision.NotBefore is null);
        Assert.DoesNotContain(TestOptions.Password, decision.Reason);
    }

    [Theory]
    [InlineData("-ERR [SYS/PERM] This server is retired", FailureCause.SysPerm)]
    [InlineData("-ERR [SYS/TEMP] Maintenance", FailureCause.SysTemp)]
    [InlineData("-ERR [IN-USE] Busy", FailureCause.InUse)]
    public async Task A_refused_greeting_maps_to_its_cause(string greeting, FailureCause cause)
    {
        await using var server = ScriptedPop3Server.Start(s => s.SendAsync(greeting));
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct));
        Assert.Equal(cause, Pop3FailureClassifier.Classify(ex));
    }

    [Fact]
    public async Task A_closed_port_is_a_network_failure_that_backs_off()
    {
        // A port the OS just handed out and nobody listens on any more.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(TestOptions.For(port), Ct));
        Assert.Equal(FailureCause.Network, Pop3FailureClassifier.Classify(ex));
        Assert.Equal(AccountHealth.BackingOff, Decide(FailureCause.Network).Health);
    }

    [Fact]
    public async Task Login_delay_advertised_only_after_login_gates_the_next_connect()
    {
        await using var server = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync("UIDL\r\nUSER", capaAfterLogin: "UIDL\r\nRESP-CODES\r\nLOGIN-DELAY 300 USER\r\nEXPIRE 0");
            await s.ExpectAsync("QUIT", "+OK bye");
        });
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(server.Port), Ct);
        var caps = session.Capabilities;
        Assert.Equal(300, caps.LoginDelaySeconds);

        var decision = ServerPolicy.Decide(new PolicyInput(FailureCause.None, 0, Now, Now, TimeSpan.FromSeconds(caps.LoginDelaySeconds!.Value), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)));
        Assert.Equal(AccountHealth.Healthy, decision.Health);
        Assert.Equal(Now.AddSeconds(300), decision.NotBefore);
        Assert.Contains("EXPIRE 0", ExpireAdvice.Warning(caps.Expire, leaveOnServer: true, deleteAfterDays: null));
        Assert.True(await session.QuitAsync(Ct));
    }
}
