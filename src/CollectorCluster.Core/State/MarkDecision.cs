using CollectorCluster.Core.Events;

namespace CollectorCluster.Core.State;

/// <summary>The answer to an operator's mark: the event to persist, if any, and what to tell the operator.</summary>
/// <param name="Applied">True when the mark takes (or there was nothing to clear); false when refused.</param>
/// <param name="Detail">What happens, or why it was refused.</param>
/// <param name="Event">The event to persist before answering; null when nothing is recorded.</param>
public sealed record MarkDecision(bool Applied, string Detail, IAccountEvent? Event = null);
