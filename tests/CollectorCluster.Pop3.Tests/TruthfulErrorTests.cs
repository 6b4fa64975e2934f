using System.Text;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Policy;
using CollectorCluster.Pop3.Protocol;
using CollectorCluster.Pop3.Tests.Replay;
using CollectorCluster.Testing;

namespace CollectorCluster.Pop3.Tests;

/// <summary>
/// Every POP3 error says what happened (issue 11 item 11): a busy mailbox, a login too soon or a server fault is not
/// "Authentication failed"; a drop in the middle of a message is not "could not be reached"; a refused certificate
/// says how to pin it.
/// </summary>
public sealed class TruthfulErrorTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HostileTranscript UpToLogin() => HostileTranscript.Greeting("+OK ready").Capa();

    public static TheoryData<string, string, FailureCause> Refusals() => new()
    {
        { "-ERR [IN-USE] Mailbox locked by another session", "refused the login of 'fred': the mailbox is in use by another session ([IN-USE]); the password was not judged", FailureCause.InUse },
        { "-ERR [LOGIN-DELAY] Wait 300 seconds", "refused the login of 'fred' as too soon after the previous login ([LOGIN-DELAY]); the password was not judged", FailureCause.LoginDelay },
        { "-ERR [SYS/TEMP] Storage unavailable", "refused the login of 'fred' because of a temporary failure on its side ([SYS/TEMP]); the password was not judged", FailureCause.SysTemp },
        { "-ERR [SYS/PERM] Account disabled", "refused the login of 'fred' because of a permanent failure on its side ([SYS/PERM]); the password was not judged", FailureCause.SysPerm },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_pass_says_what_the_server_meant(string reply, string expected, FailureCause cause)
    {
        var replay = UpToLogin().Client("USER fred").Server("+OK").Client($"PASS {TestOptions.Password}").Server(reply).Replay();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(replay, TestOptions.For(110), Ct));

        Assert.Equal($"127.0.0.1:110 {expected}: {reply}", ex.Message);
        Assert.DoesNotContain("Authentication failed", ex.Message);
        Assert.Equal(Pop3ErrorKind.ServerRefused, ex.Kind);
        Assert.Equal(cause, Pop3FailureClassifier.Classify(ex));
        replay.AssertFinished();
    }

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refused_sasl_login_says_what_the_server_meant(string reply, string expected, FailureCause cause)
    {
        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0fred\0{TestOptions.Password}"));
        var replay = UpToLogin().Client("AUTH PLAIN").Server("+ ").Client(plain).Server(reply).Replay();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(replay, TestOptions.For(110, AuthMethod.Plain), Ct));

        Assert.Equal($"127.0.0.1:110 {expected}: {reply}", ex.Message);
        Assert.Equal(cause, Pop3FailureClassifier.Classify(ex));
    }

    [Fact]
    public async Task A_plain_refusal_is_still_an_authentication_failure()
    {
        var replay = UpToLogin().Client("USER fred").Server("+OK").Client($"PASS {TestOptions.Password}").Server("-ERR [AUTH] Invalid login").Replay();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(replay, TestOptions.For(110), Ct));
        Assert.Equal("Authentication failed at 127.0.0.1:110 for user 'fred': -ERR [AUTH] Invalid login", ex.Message);
        Assert.Equal(FailureCause.Authentication, Pop3FailureClassifier.Classify(ex));
    }

    [Fact]
    public async Task A_drop_in_the_middle_of_a_message_names_the_message_and_the_bytes_received()
    {
        // The transcript ends inside message 2's body: the server closed the connection there.
        var replay = HostileTranscript.AfterLogin()
            .Client("RETR 1").Server(["+OK", "Subject: one", "", "first", "."])
            .Client("RETR 2").Server(["+OK", "Subject: two", "", "half of it"])
            .Replay();
        await using var session = await Pop3Connector.ConnectAsync(replay, TestOptions.For(110), Ct);
        var delivered = new List<int>();
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.RetrieveAsync([new(1, "u-one", 25), new(2, "u-two", 500)], async (m, stream, ct) =>
        {
            await stream.CopyToAsync(Stream.Null, ct);
            delivered.Add(m.Number);
        }, Ct));

        Assert.Equal([1], delivered);
        Assert.Equal("The connection to 127.0.0.1:110 was lost while retrieving message 2 (UIDL u-two) after 28 of 500 listed bytes.", ex.Message);
        Assert.Equal(Pop3ErrorKind.Network, ex.Kind);
        Assert.Equal(Pop3Stage.Retrieve, ex.Stage);

        var cause = Pop3FailureClassifier.Classify(ex);
        Assert.Equal(FailureCause.ConnectionLost, cause);
        var decision = ServerPolicy.Decide(new PolicyInput(cause, 1, Now, null, null, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)));
        Assert.DoesNotContain("could not be reached", decision.Reason);
        Assert.Contains("lost during the session", decision.Reason);
    }

    [Fact]
    public async Task A_destination_that_turns_the_drop_into_its_own_error_still_reports_the_drop()
    {
        var replay = HostileTranscript.AfterLogin().Client("RETR 1").Server(["+OK", "Subject: cut"]).Replay();
        await using var session = await Pop3Connector.ConnectAsync(replay, TestOptions.For(110), Ct);
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => session.RetrieveAsync([new(1, "u1", 100)], async (_, stream, ct) =>
        {
            try
            {
                await stream.CopyToAsync(Stream.Null, ct);
            }
            catch (Pop3Exception e)
            {
                throw new IOException("destination aborted: the source failed", e);
            }
        }, Ct));
        Assert.StartsWith("The connection to 127.0.0.1:110 was lost while retrieving message 1 (UIDL u1) after 14 of 100 listed bytes", ex.Message);
        Assert.IsType<IOException>(ex.InnerException);
    }

    [Fact]
    public async Task A_connection_lost_before_any_message_is_not_said_to_be_unreachable()
    {
        var replay = HostileTranscript.Greeting("+OK ready").Replay(); // closes instead of answering CAPA
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(replay, TestOptions.For(110), Ct));
        Assert.Equal(Pop3ErrorKind.Network, ex.Kind);
        Assert.Equal(FailureCause.ConnectionLost, Pop3FailureClassifier.Classify(ex));
    }

    [Fact]
    public async Task An_untrusted_certificate_prints_its_sha256_as_certificate_sha256_takes_it_and_its_names()
    {
        await using var server = ScriptedPop3Server.Start(s => s.LoginAsync(), TestCertificate.Shared.Certificate);
        var options = TestOptions.For(server.Port, tls: TlsMode.Implicit, host: "localhost");
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(options, Ct));

        var fingerprint = TestCertificate.Shared.Sha256Fingerprint;
        Assert.Contains($"set certificate-sha256 = \"{fingerprint}\"", ex.Message);
        Assert.Equal(fingerprint, CertificatePolicy.NormalizePin(fingerprint));
        Assert.Contains($"subject \"{TestCertificate.Shared.Certificate.Subject}\" issued by \"{TestCertificate.Shared.Certificate.Issuer}\"", ex.Message);

        // The printed value, pasted into the account, is accepted.
        await using var pinned = ScriptedPop3Server.Start(async s =>
        {
            await s.LoginAsync();
            await s.ExpectAsync("QUIT", "+OK");
        }, TestCertificate.Shared.Certificate);
        var printed = ex.Message[(ex.Message.IndexOf("certificate-sha256 = \"", StringComparison.Ordinal) + 22)..].Split('"')[0];
        await using var session = await Pop3Connector.ConnectAsync(TestOptions.For(pinned.Port, tls: TlsMode.Implicit, host: "localhost") with { CertificateSha256 = printed }, Ct);
        Assert.True(await session.QuitAsync(Ct));
        await pinned.Completion;
    }

    [Fact]
    public async Task A_pin_mismatch_prints_the_new_sha256_to_pin()
    {
        await using var server = ScriptedPop3Server.Start(s => s.LoginAsync(), TestCertificate.Shared.Certificate);
        var options = TestOptions.For(server.Port, tls: TlsMode.Implicit, host: "localhost") with { CertificateSha256 = new string('A', 64) };
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(options, Ct));
        Assert.Contains("does not match the pinned SHA-256", ex.Message);
        Assert.Contains($"certificate-sha256 = \"{TestCertificate.Shared.Sha256Fingerprint}\"", ex.Message);
        Assert.Contains("issued by", ex.Message);
    }
}
