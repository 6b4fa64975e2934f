namespace CollectorCluster.Core.Events;

/// <summary>
/// The messages a session found over <c>max-message-size</c> (skipped or fetched last), so they are reported rather
/// than dropped silently, and so an operator may mark a skipped one for download. Each report replaces the last one;
/// an empty report clears it.
/// </summary>
/// <param name="Messages">The oversize messages, in plan order.</param>
/// <param name="Limit">The limit in bytes.</param>
/// <param name="Handling">"Skip" or "Postpone" (see <see cref="Planning.OversizeHandling"/>).</param>
/// <param name="At">When the session planned.</param>
public sealed record OversizeMessagesReported(IReadOnlyList<OversizeEntry> Messages, long Limit, string Handling, DateTimeOffset At) : IAccountEvent;
