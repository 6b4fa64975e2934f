using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Tests;

/// <summary>Accounts and their states for the tables of the account's decisions (collect gate, schedule, round, marks, configuration).</summary>
internal static class AccountFixtures
{
    /// <summary>The clock reading every table decides at.</summary>
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A LOGIN-DELAY the tables put in force (5 minutes, Gmail's).</summary>
    public const int LoginDelaySeconds = 300;

    public static AccountSettings Settings(bool enabled = true, string password = "pw", string mailbox = "maildir:/m", bool leaveMailOnServer = false) => new()
    {
        Id = "a",
        Pop3Server = "pop.example",
        Port = 995,
        Pop3Account = "alice",
        Password = new Secret(password),
        Mailbox = mailbox,
        Enabled = enabled,
        LeaveMailOnServer = leaveMailOnServer,
        CheckEvery = TimeSpan.FromMinutes(10),
    };

    public static AccountState StateAfter(params IEnumerable<IAccountEvent> events) => events.Aggregate(AccountState.Empty, (s, e) => s.Apply(e));

    /// <summary>The server policy set this health (half an hour ago).</summary>
    public static AccountHealthChanged Health(AccountHealth health, DateTimeOffset? notBefore = null) =>
        new(health.ToString(), health == AccountHealth.Healthy ? "" : "the server said so", notBefore, Now.AddMinutes(-30));

    /// <summary>A login under LOGIN-DELAY, timed so the next login is allowed <paramref name="gateInMinutes"/> from now.</summary>
    public static ServerPolicyObserved LoginDelayEndingIn(double gateInMinutes) =>
        new(Now.AddMinutes(gateInMinutes).AddSeconds(-LoginDelaySeconds), LoginDelaySeconds, null);
}
