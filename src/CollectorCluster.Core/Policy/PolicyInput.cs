namespace CollectorCluster.Core.Policy;

/// <summary>The facts one policy decision is made from, after a session ended.</summary>
/// <param name="Cause">Why it failed, or <see cref="FailureCause.None"/> when it succeeded.</param>
/// <param name="ConsecutiveFailures">Failures in a row including this one (0 after a success).</param>
/// <param name="Now">When the session ended.</param>
/// <param name="LastLoginAt">The last successful login (persisted, so LOGIN-DELAY survives restarts), or null.</param>
/// <param name="LoginDelay">The server's LOGIN-DELAY (CAPA, possibly only after login), or null when not advertised.</param>
/// <param name="RetryBase">First back-off step (collector.retry.base).</param>
/// <param name="RetryMax">Longest back-off (collector.retry.max).</param>
/// <param name="Detail">What went wrong in words (the destination's reply, the reason a session refused): quoted in an operator's reason.</param>
public sealed record PolicyInput(
    FailureCause Cause,
    int ConsecutiveFailures,
    DateTimeOffset Now,
    DateTimeOffset? LastLoginAt,
    TimeSpan? LoginDelay,
    TimeSpan RetryBase,
    TimeSpan RetryMax,
    string Detail = "");
