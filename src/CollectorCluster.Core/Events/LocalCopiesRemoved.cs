namespace CollectorCluster.Core.Events;

/// <summary>Mirror Mailbox: messages deleted on the server (gone by <see cref="Planning.AbsenceRule"/>, within the share cap) whose local copies were removed.</summary>
public sealed record LocalCopiesRemoved(IReadOnlyList<string> Uidls, DateTimeOffset At) : IAccountEvent;
