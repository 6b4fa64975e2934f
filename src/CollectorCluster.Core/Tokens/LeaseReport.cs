namespace CollectorCluster.Core.Tokens;

/// <summary>
/// One session's standing with a server, as its node reports it when a server's governor (re)starts and calls the
/// roll: waiting for a lease, or holding one. Lets a new governor count every session that is still connected.
/// </summary>
/// <param name="LeaseId">The lease (or request) id, unique in the cluster.</param>
/// <param name="AccountId">The account the session is for.</param>
/// <param name="Priority">The account's priority.</param>
/// <param name="Since">When the session first asked (its place in the queue).</param>
/// <param name="Held">True when the lease is held (granted and not released).</param>
public readonly record struct LeaseReport(string LeaseId, string AccountId, int Priority, DateTimeOffset Since, bool Held);
