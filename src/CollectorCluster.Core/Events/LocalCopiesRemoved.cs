namespace CollectorCluster.Core.Events;

/// <summary>Mirror Mailbox: messages deleted on the server (absent from two committed listings) whose local copies were removed.</summary>
public sealed record LocalCopiesRemoved(IReadOnlyList<string> Uidls, DateTimeOffset At) : IAccountEvent;
