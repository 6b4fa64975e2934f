using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Policy;

namespace CollectorCluster.Core.Scheduling;

/// <summary>
/// Collection rounds over a server that lists only a window of its messages per session (Gmail: about 250): a session
/// that succeeded and collected everything it listed may have seen only a window, so another follows at once, or when
/// LOGIN-DELAY allows, up to a bound. A session that listed fewer than the minimum was no window: the round ends, so an
/// ordinary server costs one login per round. Pure, so every branch is table-tested.
/// </summary>
public static class RoundContinuation
{
    /// <summary>Decides after one session.</summary>
    /// <param name="progress">The round so far.</param>
    /// <param name="maxSessions">Sessions one round may open (1 = one per round).</param>
    /// <param name="minListed">A session listing fewer was not a window.</param>
    /// <param name="settings">This node's settings for the account, or null when it has none.</param>
    /// <param name="policy">The server policy's view, with the last session's outcome applied.</param>
    /// <param name="now">The clock reading.</param>
    public static RoundDecision Decide(RoundProgress progress, int maxSessions, int minListed, AccountSettings? settings, ServerPolicyState policy, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentNullException.ThrowIfNull(policy);
        var filledWindow = progress.Succeeded && progress.Collected > 0 && progress.Collected == progress.Listed && progress.Listed >= minListed;
        if (!filledWindow || progress.SessionsBefore + 1 >= maxSessions || settings is not { Enabled: true } || policy.Health != AccountHealth.Healthy)
        {
            return RoundDecision.End;
        }

        return ServerPolicy.LoginGate(policy.LastLoginAt, policy.LoginDelay) is { } gate && gate > now
            ? new RoundDecision(RoundStep.ContinueAfterLoginDelay, gate)
            : new RoundDecision(RoundStep.ContinueNow, now);
    }
}
