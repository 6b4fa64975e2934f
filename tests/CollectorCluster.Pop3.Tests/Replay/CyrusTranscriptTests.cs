using System.Text;
using CollectorCluster.Core.Policy;

namespace CollectorCluster.Pop3.Tests.Replay;

/// <summary>
/// A Cyrus-style server (cyrus-*.txt, written from Cyrus's pop3d source): EXPIRE and LOGIN-DELAY advertised in CAPA,
/// the APOP challenge in its greeting, and the <c>[LOGIN-DELAY]</c> refusal of a login that comes too soon.
/// </summary>
public sealed class CyrusTranscriptTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(3)]
    public async Task A_cyrus_session_reads_expire_and_login_delay_and_collects(int readSize)
    {
        var replay = Pop3ReplayStream.Of("cyrus-session.txt", readSize);
        var result = await ReplayedSession.ReplayAsync(replay, Ct);

        var caps = result.Capabilities;
        Assert.Equal(300, caps.LoginDelaySeconds);
        Assert.Equal("31", caps.Expire);
        Assert.Equal("Cyrus POP3 v3.6.4", caps.Implementation);
        Assert.False(caps.Stls); // CAPA after login no longer offers STLS
        Assert.Contains("EXPIRE 31", ExpireAdvice.Warning(caps.Expire, leaveOnServer: true, deleteAfterDays: 60));
        Assert.Null(ExpireAdvice.Warning(caps.Expire, leaveOnServer: true, deleteAfterDays: 30));

        Assert.Equal(["1700000000.1", "1700000000.2", "1700000000.3"], result.Listing.Select(m => m.Uidl));
        Assert.Equal(result.Listing.Select(m => m.Size), result.Bodies.Select(b => (long)b.Length));
        Assert.Contains("\r\n\r\n..two dots\r\n", Encoding.ASCII.GetString(result.Bodies[0]));
        Assert.EndsWith("Body of the third.\r\n\r\n", Encoding.ASCII.GetString(result.Bodies[2]));
        Assert.True(result.Committed);
        replay.AssertFinished();

        // Healthy, but the next login waits for LOGIN-DELAY after this one.
        var next = ServerPolicy.Decide(new PolicyInput(FailureCause.None, 0, Now, Now, TimeSpan.FromSeconds(caps.LoginDelaySeconds!.Value), TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)));
        Assert.Equal(AccountHealth.Healthy, next.Health);
        Assert.Equal(Now.AddMinutes(5), next.NotBefore);
    }

    [Fact]
    public async Task A_login_within_the_delay_is_refused_with_login_delay_and_retried_later()
    {
        var replay = Pop3ReplayStream.Of("cyrus-login-delay.txt");
        var ex = await Assert.ThrowsAsync<Pop3Exception>(() => Pop3Connector.ConnectAsync(replay, TestOptions.For(110), Ct));

        Assert.Equal(Pop3Stage.Authenticate, ex.Stage);
        Assert.Equal(Pop3ErrorKind.ServerRefused, ex.Kind); // the password was not judged
        Assert.Equal("LOGIN-DELAY", ex.ResponseCode);
        Assert.True(ex.IsTransient);
        Assert.Equal("-ERR [LOGIN-DELAY] Logins must be at least 5 minutes apart", ex.ServerReply);
        Assert.Equal(FailureCause.LoginDelay, Pop3FailureClassifier.Classify(ex));
        var decision = ServerPolicy.Decide(new PolicyInput(FailureCause.LoginDelay, 1, Now, null, null, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)));
        Assert.Equal(AccountHealth.RetryingTransient, decision.Health);
        Assert.NotNull(decision.NotBefore);
        replay.AssertFinished();
    }
}
