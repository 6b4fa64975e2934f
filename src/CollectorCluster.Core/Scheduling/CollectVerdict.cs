namespace CollectorCluster.Core.Scheduling;

/// <summary>What a request to collect (an operator's or the schedule's) leads to.</summary>
public enum CollectVerdict
{
    /// <summary>Start a session now (after the journal fence is written).</summary>
    Start,

    /// <summary>A session is running, or the account is stopping: the requester hears when the running one ends.</summary>
    Join,

    /// <summary>No session: answer the requesters at once with the reason.</summary>
    Refuse,

    /// <summary>The server's LOGIN-DELAY has not passed: answer at once with the reason and keep the schedule.</summary>
    WaitForLoginDelay,
}
