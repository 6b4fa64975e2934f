using CollectorCluster.Actors.Collection;

namespace CollectorCluster.Actors.Accounts;

/// <summary>A session task finished: its outcome, or the exception that escaped it.</summary>
internal sealed record SessionEnded(SessionOutcome? Outcome, Exception? Error = null);
