using CollectorCluster.Core.Scheduling;

namespace CollectorCluster.Core.Policy;

/// <summary>
/// The server policy: maps how a session ended onto the account's health and the earliest next connect.
/// Pure, so the whole table is tested. Rules, in order of strength:
/// a refused credential, [SYS/PERM], a refused certificate or missing TLS never retry by themselves (one
/// failed login per configuration, so an account is never hammered into lockout); [IN-USE] and [LOGIN-DELAY]
/// retry soon but still back off if they repeat; a destination's permanent refusal (5xx), a message larger than listed and a session that refused to
/// collect unsafely wait for an operator too, quoting why; everything else (a 4xx from the destination included)
/// backs off exponentially up to retry.max; and no connect ever happens sooner than last login + LOGIN-DELAY.
/// A session stopped from our side (<see cref="FailureCause.Stopped"/>) is no verdict on the server: callers do not
/// ask (it would back off like any other failure).
/// </summary>
public static class ServerPolicy
{
    /// <summary>[IN-USE] retries at this fraction of the normal back-off: the lock is usually another client's short session.</summary>
    public const int InUseDivisor = 4;

    /// <summary>Decides after a session.</summary>
    public static PolicyDecision Decide(PolicyInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var gate = LoginGate(input.LastLoginAt, input.LoginDelay);
        switch (input.Cause)
        {
            case FailureCause.None:
                return new PolicyDecision(AccountHealth.Healthy, Later(input.Now, gate), "");
            case FailureCause.Authentication:
                return Operator("the server refused the credentials ([AUTH]); fix the password or auth method, then `collector resume`");
            case FailureCause.SysPerm:
                return Operator("the server reported a permanent failure ([SYS/PERM]); check the mailbox with the provider, then `collector resume`");
            case FailureCause.Certificate:
                return Operator("the server certificate was refused; check verify-certificate / certificate-sha256, then `collector resume`");
            case FailureCause.TlsUnavailable:
                return Operator("TLS was required but not available; check ssl and port, then `collector resume`");
            case FailureCause.OAuthGrantRefused:
                return Operator("the OAuth2 token endpoint refused the refresh token; store a new refresh token, then `collector resume`");
            case FailureCause.DeliveryRefused:
                return Operator($"the destination refused a message for good: {Quoted(input.Detail)}; the message stays on the server; fix the destination, then `collector resume`");
            case FailureCause.Unsafe:
                return Operator(Quoted(input.Detail));
            case FailureCause.MessageOverrun:
                return Operator(string.IsNullOrWhiteSpace(input.Detail) ? Quoted(input.Detail) : input.Detail.Trim()); // our own words (figures, the UIDL, the way out), kept whole
        }

        var failures = Math.Max(1, input.ConsecutiveFailures);
        var backoff = CollectionSchedule.BackoffDelay(failures, input.RetryBase, input.RetryMax);
        return input.Cause switch
        {
            FailureCause.InUse => new PolicyDecision(
                AccountHealth.RetryingTransient,
                Later(input.Now + (backoff / InUseDivisor), gate),
                "the mailbox is in use by another session ([IN-USE]); retrying shortly"),
            FailureCause.LoginDelay => new PolicyDecision(
                AccountHealth.RetryingTransient,
                // Without a known delay the server's wish is unknown: wait the full back-off.
                Later(input.Now + backoff, gate),
                input.LoginDelay is { } delay
                    ? $"the server asks for {DurationText.Format(delay)} between logins ([LOGIN-DELAY])"
                    : "the server refused an early login ([LOGIN-DELAY]); waiting before the next"),
            FailureCause.SysTemp => BackingOff("the server reported a temporary failure ([SYS/TEMP])", failures, input.Now + backoff, gate),
            FailureCause.Network => BackingOff("the server could not be reached", failures, input.Now + backoff, gate),
            FailureCause.Timeout => BackingOff("the server did not answer in time", failures, input.Now + backoff, gate),
            FailureCause.ConnectionLost => BackingOff("the connection to the server was lost during the session", failures, input.Now + backoff, gate),
            FailureCause.SessionDeadline => BackingOff("the server was too slow: the session deadline cut it off", failures, input.Now + backoff, gate),
            _ => BackingOff("the session failed", failures, input.Now + backoff, gate),
        };
    }

    /// <summary>The earliest moment LOGIN-DELAY allows a new login, or null when there is no such limit.</summary>
    public static DateTimeOffset? LoginGate(DateTimeOffset? lastLoginAt, TimeSpan? loginDelay) =>
        lastLoginAt is { } at && loginDelay is { } delay && delay > TimeSpan.Zero ? at + delay : null;

    /// <summary>Moves a scheduled slot so it honours LOGIN-DELAY: never sooner than last login + delay.</summary>
    public static DateTimeOffset Honour(DateTimeOffset due, DateTimeOffset? lastLoginAt, TimeSpan? loginDelay) =>
        Later(due, LoginGate(lastLoginAt, loginDelay));

    private static PolicyDecision BackingOff(string what, int failures, DateTimeOffset at, DateTimeOffset? gate) =>
        new(AccountHealth.BackingOff, Later(at, gate), $"{what}; backing off after {failures} failure(s)");

    private static PolicyDecision Operator(string reason) => new(AccountHealth.NeedsOperator, null, reason);

    // An operator's reason quotes the failure's own words, bounded: a destination's reply can be long.
    private static string Quoted(string detail)
    {
        const int Max = 400;
        var text = string.IsNullOrWhiteSpace(detail) ? "(no detail)" : detail.Trim();
        return text.Length <= Max ? text : text[..Max] + "...";
    }

    private static DateTimeOffset Later(DateTimeOffset at, DateTimeOffset? gate) => gate is { } g && g > at ? g : at;
}
