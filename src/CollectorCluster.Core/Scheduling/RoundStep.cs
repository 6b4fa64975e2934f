namespace CollectorCluster.Core.Scheduling;

/// <summary>Whether a collection round goes on after a session.</summary>
public enum RoundStep
{
    /// <summary>The round is over: reply to the waiters and return to the schedule.</summary>
    End,

    /// <summary>Open another session at once; the waiters hear about the whole round.</summary>
    ContinueNow,

    /// <summary>Open another session once LOGIN-DELAY allows; the waiters hear the figures so far now.</summary>
    ContinueAfterLoginDelay,
}
