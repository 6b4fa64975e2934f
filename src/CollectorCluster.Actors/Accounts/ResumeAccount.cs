namespace CollectorCluster.Actors.Accounts;

/// <summary>
/// The operator's "collector resume": clears a NeedsOperator (or back-off) state so the schedule runs again.
/// The only way, besides a configuration change, out of a refused password: the collector never retries one by itself.
/// </summary>
public sealed record ResumeAccount(string AccountId) : IAccountCommand;
