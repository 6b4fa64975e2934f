using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.State;

namespace CollectorCluster.Core.Scheduling;

/// <summary>
/// Whether a request to collect may start a session, in order: the account must be configured on this node; a running
/// session (or a stopping account) is joined; then it must be enabled, not paused, not waiting for an operator, and the
/// server's LOGIN-DELAY must have passed. Pure, so every branch is table-tested.
/// </summary>
public static class CollectGate
{
    /// <summary>Decides one request.</summary>
    /// <param name="accountId">The account (named in the paused reason's hint).</param>
    /// <param name="settings">This node's settings for the account, or null when it has none.</param>
    /// <param name="busy">A session runs, or the account is stopping.</param>
    /// <param name="state">The account's state.</param>
    /// <param name="now">The clock reading.</param>
    public static CollectDecision Decide(string accountId, AccountSettings? settings, bool busy, AccountState state, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (settings is null)
        {
            return Refuse("account is not configured on this node");
        }

        if (busy)
        {
            return new CollectDecision(CollectVerdict.Join);
        }

        if (!settings.Enabled)
        {
            return Refuse("account is disabled");
        }

        if (state.Paused)
        {
            return Refuse("account is paused (collector resume " + accountId + ")");
        }

        if (state.Policy.Health == AccountHealth.NeedsOperator)
        {
            // Never retried by itself, and not by a plain "collect" either: a refused password stays refused.
            return Refuse($"needs operator: {state.Policy.Reason}");
        }

        if (ServerPolicy.LoginGate(state.Policy.LastLoginAt, state.Policy.LoginDelay) is { } gate && gate > now)
        {
            return new CollectDecision(CollectVerdict.WaitForLoginDelay, $"the server's LOGIN-DELAY allows the next login at {gate:u}");
        }

        return new CollectDecision(CollectVerdict.Start);
    }

    private static CollectDecision Refuse(string reason) => new(CollectVerdict.Refuse, reason);
}
