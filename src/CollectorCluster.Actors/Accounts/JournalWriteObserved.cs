namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// Published on the actor system's event stream after a session's batch of events is in the journal: how long the
/// write took from the account's request to the journal's confirmation (the node's journal write latency metric).
/// </summary>
/// <param name="AccountId">The account.</param>
/// <param name="Events">Events written in the batch.</param>
/// <param name="Latency">From the persist call to its confirmation.</param>
public sealed record JournalWriteObserved(string AccountId, int Events, TimeSpan Latency);
