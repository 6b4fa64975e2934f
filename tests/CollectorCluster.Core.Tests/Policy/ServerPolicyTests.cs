using CollectorCluster.Core.Policy;

namespace CollectorCluster.Core.Tests.Policy;

public sealed class ServerPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Base = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Max = TimeSpan.FromHours(1);

    private static PolicyInput Input(FailureCause cause, int failures = 1, DateTimeOffset? lastLogin = null, TimeSpan? loginDelay = null) =>
        new(cause, failures, Now, lastLogin, loginDelay, Base, Max);

    // Every cause, first failure, no LOGIN-DELAY: health and the delay before the next connect (null = operator).
    public static TheoryData<FailureCause, AccountHealth, int?> Table() => new()
    {
        { FailureCause.None, AccountHealth.Healthy, 0 },
        { FailureCause.Authentication, AccountHealth.NeedsOperator, null },
        { FailureCause.SysPerm, AccountHealth.NeedsOperator, null },
        { FailureCause.Certificate, AccountHealth.NeedsOperator, null },
        { FailureCause.TlsUnavailable, AccountHealth.NeedsOperator, null },
        { FailureCause.OAuthGrantRefused, AccountHealth.NeedsOperator, null },
        { FailureCause.InUse, AccountHealth.RetryingTransient, 15 },
        { FailureCause.LoginDelay, AccountHealth.RetryingTransient, 60 },
        { FailureCause.SysTemp, AccountHealth.BackingOff, 60 },
        { FailureCause.Network, AccountHealth.BackingOff, 60 },
        { FailureCause.Timeout, AccountHealth.BackingOff, 60 },
        { FailureCause.Other, AccountHealth.BackingOff, 60 },
        { FailureCause.ConnectionLost, AccountHealth.BackingOff, 60 },
        { FailureCause.SessionDeadline, AccountHealth.BackingOff, 60 },
        { FailureCause.DeliveryRefused, AccountHealth.NeedsOperator, null },
        { FailureCause.Unsafe, AccountHealth.NeedsOperator, null },
        { FailureCause.Stopped, AccountHealth.BackingOff, 60 }, // never asked (no verdict on the server); defined anyway
        { FailureCause.MessageOverrun, AccountHealth.NeedsOperator, null },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Each_cause_maps_to_its_health_and_next_attempt(FailureCause cause, AccountHealth health, int? delaySeconds)
    {
        var decision = ServerPolicy.Decide(Input(cause, cause == FailureCause.None ? 0 : 1));

        Assert.Equal(health, decision.Health);
        Assert.Equal(delaySeconds is { } s ? Now.AddSeconds(s) : null, decision.NotBefore);
        Assert.Equal(health == AccountHealth.Healthy, decision.Reason.Length == 0);
    }

    [Fact]
    public void The_table_covers_every_cause()
    {
        var covered = Table().Select(row => (FailureCause)row.Data.Item1).ToHashSet();
        Assert.All(Enum.GetValues<FailureCause>(), c => Assert.Contains(c, covered));
    }

    [Fact]
    public void A_permanent_refusal_of_the_destination_parks_the_account_quoting_the_destination_and_a_temporary_one_backs_off()
    {
        var refused = ServerPolicy.Decide(Input(FailureCause.DeliveryRefused) with { Detail = "lmtp:127.0.0.1:24 for account 'a' refused the message: 550 5.1.1 <x@y>: no such user" });
        Assert.Equal(AccountHealth.NeedsOperator, refused.Health);
        Assert.Null(refused.NotBefore);
        Assert.Contains("550 5.1.1 <x@y>: no such user", refused.Reason);
        Assert.Contains("collector resume", refused.Reason);

        var deferred = ServerPolicy.Decide(Input(FailureCause.Other) with { Detail = "452 4.2.2 mailbox full" });
        Assert.Equal(AccountHealth.BackingOff, deferred.Health);
        Assert.NotNull(deferred.NotBefore);
    }

    [Fact]
    public void An_unsafe_collection_waits_for_the_operator_with_its_own_words_bounded()
    {
        var decision = ServerPolicy.Decide(Input(FailureCause.Unsafe) with { Detail = "the server does not support UIDL " + new string('x', 1000) });
        Assert.Equal(AccountHealth.NeedsOperator, decision.Health);
        Assert.StartsWith("the server does not support UIDL", decision.Reason);
        Assert.True(decision.Reason.Length <= 403, decision.Reason.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(FailureCause.Authentication)]
    [InlineData(FailureCause.SysPerm)]
    public void Operator_causes_never_schedule_a_retry_whatever_the_count(FailureCause cause)
    {
        for (var failures = 1; failures <= 64; failures++)
        {
            var decision = ServerPolicy.Decide(Input(cause, failures));
            Assert.Equal(AccountHealth.NeedsOperator, decision.Health);
            Assert.Null(decision.NotBefore);
            Assert.Contains("collector resume", decision.Reason);
        }
    }

    [Theory]
    [InlineData(FailureCause.SysTemp)]
    [InlineData(FailureCause.Network)]
    [InlineData(FailureCause.ConnectionLost)]
    [InlineData(FailureCause.SessionDeadline)]
    [InlineData(FailureCause.InUse)]
    [InlineData(FailureCause.LoginDelay)]
    public void Repeated_transient_failures_back_off_exponentially_and_never_beyond_the_maximum(FailureCause cause)
    {
        TimeSpan previous = TimeSpan.Zero;
        for (var failures = 1; failures <= 100; failures++)
        {
            var delay = ServerPolicy.Decide(Input(cause, failures)).NotBefore!.Value - Now;
            Assert.True(delay >= previous, $"{cause}: delay shrank at failure {failures}");
            Assert.True(delay <= Max, $"{cause}: {delay} beyond retry.max at failure {failures}");
            Assert.True(delay > TimeSpan.Zero, $"{cause}: immediate retry at failure {failures}");
            previous = delay;
        }

        Assert.True(previous >= Max / ServerPolicy.InUseDivisor);
    }

    [Fact]
    public void In_use_retries_sooner_than_a_server_fault_but_still_backs_off()
    {
        var inUse1 = ServerPolicy.Decide(Input(FailureCause.InUse, 1)).NotBefore!.Value - Now;
        var inUse3 = ServerPolicy.Decide(Input(FailureCause.InUse, 3)).NotBefore!.Value - Now;
        var sysTemp1 = ServerPolicy.Decide(Input(FailureCause.SysTemp, 1)).NotBefore!.Value - Now;

        Assert.True(inUse1 < sysTemp1);
        Assert.Equal(inUse1 * 4, inUse3);
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void No_decision_ever_allows_a_login_before_last_login_plus_login_delay(FailureCause cause, AccountHealth health, int? delaySeconds)
    {
        _ = delaySeconds;
        var lastLogin = Now.AddMinutes(-1);
        var loginDelay = TimeSpan.FromMinutes(10);
        var decision = ServerPolicy.Decide(Input(cause, cause == FailureCause.None ? 0 : 1, lastLogin, loginDelay));

        Assert.Equal(health, decision.Health);
        if (decision.NotBefore is { } notBefore)
        {
            Assert.True(notBefore >= lastLogin + loginDelay, $"{cause}: {notBefore:O} is before {lastLogin + loginDelay:O}");
        }
    }

    [Fact]
    public void A_login_delay_long_past_does_not_hold_anything_back()
    {
        var decision = ServerPolicy.Decide(Input(FailureCause.None, 0, Now.AddHours(-2), TimeSpan.FromMinutes(5)));
        Assert.Equal(Now, decision.NotBefore);
    }

    [Fact]
    public void Login_delay_reason_names_the_advertised_delay()
    {
        var decision = ServerPolicy.Decide(Input(FailureCause.LoginDelay, 1, Now, TimeSpan.FromSeconds(300)));
        Assert.Contains("LOGIN-DELAY", decision.Reason);
        Assert.Equal(Now.AddSeconds(300), decision.NotBefore);
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData("2026-11-28T11:58:00Z", null, null)]
    [InlineData(null, 300, null)]
    [InlineData("2026-11-28T11:58:00Z", 300, "2026-11-28T12:03:00Z")]
    [InlineData("2026-11-28T11:58:00Z", 0, null)]
    public void Login_gate_is_last_login_plus_delay_when_both_are_known(string? lastLogin, int? delaySeconds, string? expected)
    {
        var gate = ServerPolicy.LoginGate(
            lastLogin is null ? null : DateTimeOffset.Parse(lastLogin, System.Globalization.CultureInfo.InvariantCulture),
            delaySeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        Assert.Equal(expected is null ? null : DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), gate);
    }

    [Fact]
    public void Honour_moves_a_scheduled_slot_behind_the_login_gate_and_leaves_later_slots_alone()
    {
        var lastLogin = Now;
        var delay = TimeSpan.FromMinutes(5);
        Assert.Equal(Now + delay, ServerPolicy.Honour(Now.AddMinutes(1), lastLogin, delay));
        Assert.Equal(Now.AddMinutes(30), ServerPolicy.Honour(Now.AddMinutes(30), lastLogin, delay));
        Assert.Equal(Now.AddMinutes(1), ServerPolicy.Honour(Now.AddMinutes(1), null, delay));
    }
}
