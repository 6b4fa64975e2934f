namespace CollectorCluster.Core.Events;

/// <summary>An operator resumed a paused account: its schedule starts again.</summary>
/// <param name="At">When it was resumed.</param>
public sealed record AccountResumed(DateTimeOffset At) : IAccountEvent;
