namespace CollectorCluster.Core.Events;

/// <summary>An operator paused the account: no session starts (scheduled or asked for) until it is resumed; journaled so a restart keeps it paused.</summary>
/// <param name="At">When it was paused.</param>
public sealed record AccountPaused(DateTimeOffset At) : IAccountEvent;
