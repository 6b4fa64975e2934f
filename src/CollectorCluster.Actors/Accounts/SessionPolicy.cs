using CollectorCluster.Actors.Collection;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.Policy;
using CollectorCluster.Core.State;

namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// Turns a finished session into the server-policy events worth journalling: the login and what CAPA said
/// (when LOGIN-DELAY or EXPIRE matter), and a change of health. The decision itself is <see cref="ServerPolicy"/>'s.
/// </summary>
internal static class SessionPolicy
{
    /// <summary>The events to persist after <paramref name="outcome"/>, given the state with the outcome already applied.</summary>
    /// <param name="state">The state with the outcome applied.</param>
    /// <param name="outcome">How the session ended.</param>
    /// <param name="tuning">The retry knobs.</param>
    /// <param name="now">The clock reading.</param>
    /// <param name="settingsDigest">The keyed digest of the settings the session ran with: journalled with NeedsOperator, so a later process sees a changed configuration.</param>
    public static IReadOnlyList<IAccountEvent> EventsAfter(AccountState state, SessionOutcome outcome, CollectionTuning tuning, DateTimeOffset now, string? settingsDigest = null)
    {
        var events = new List<IAccountEvent>(2);
        var policy = state.Policy;
        if (outcome.LoggedInAt is { } loginAt && outcome.Capabilities is { } caps)
        {
            // Every login counts while a LOGIN-DELAY is in force; otherwise only a change is news.
            if (caps.LoginDelaySeconds is not null || caps.LoginDelaySeconds != policy.LoginDelaySeconds || caps.Expire != policy.Expire)
            {
                var observed = new ServerPolicyObserved(loginAt, caps.LoginDelaySeconds, caps.Expire);
                events.Add(observed);
                policy = state.Apply(observed).Policy;
            }
        }

        if (outcome.Cause == FailureCause.Stopped)
        {
            return events; // stopped from our side: no verdict on the server
        }

        var decision = ServerPolicy.Decide(new PolicyInput(
            // A failure without a cause (a crash of the run itself) is "other": it backs off, never passes as success.
            outcome.Succeeded ? FailureCause.None : outcome.Cause == FailureCause.None ? FailureCause.Other : outcome.Cause,
            outcome.Succeeded ? 0 : state.ConsecutiveFailures,
            now,
            policy.LastLoginAt,
            policy.LoginDelay,
            tuning.RetryBase,
            tuning.RetryMax,
            (outcome.Event as CollectionFailed)?.Error ?? ""));
        var digest = decision.Health == AccountHealth.NeedsOperator ? settingsDigest : null;
        if (decision.Health != policy.Health || decision.Reason != policy.Reason || (decision.NotBefore != policy.NotBefore && decision.Health != AccountHealth.Healthy)
            || digest != policy.SettingsDigest)
        {
            events.Add(new AccountHealthChanged(decision.Health.ToString(), decision.Reason, decision.NotBefore, now, digest));
        }

        return events;
    }
}
