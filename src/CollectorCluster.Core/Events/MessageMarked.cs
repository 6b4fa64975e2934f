namespace CollectorCluster.Core.Events;

/// <summary>
/// An operator marked a message (the seed's "Collector Tasks"): <c>Download</c> fetches it again next session even
/// though it was collected, <c>Delete</c> removes it from the server next session. Recorded so a mark survives a
/// restart and is acted on exactly once.
/// </summary>
/// <param name="Uidl">The message's UIDL.</param>
/// <param name="Mark">The <see cref="State.MessageMark"/> name: Download or Delete.</param>
/// <param name="At">When it was marked.</param>
public sealed record MessageMarked(string Uidl, string Mark, DateTimeOffset At) : IAccountEvent;
