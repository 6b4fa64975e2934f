namespace CollectorCluster.Core.Tokens;

/// <summary>A waiting request that has just become a held lease on its server.</summary>
/// <param name="LeaseId">The lease id (the request's).</param>
/// <param name="Owner">The node that asked (its key), which is told.</param>
/// <param name="AccountId">The account.</param>
/// <param name="Waited">How long it waited.</param>
public readonly record struct ServerLeaseGrant(string LeaseId, string Owner, string AccountId, TimeSpan Waited);
