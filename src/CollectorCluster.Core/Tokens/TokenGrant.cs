namespace CollectorCluster.Core.Tokens;

/// <summary>
/// A queued request that has just become a lease. The lease keeps the request's id, so whoever asked can
/// release or withdraw with the one id it was given.
/// </summary>
public readonly record struct TokenGrant(long LeaseId, string AccountId, string Server, TimeSpan Waited);
