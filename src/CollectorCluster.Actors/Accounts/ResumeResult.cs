namespace CollectorCluster.Actors.Accounts;

/// <summary>Answer to <see cref="ResumeAccount"/>.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="PreviousHealth">The health it had before (the <see cref="Core.Policy.AccountHealth"/> name).</param>
/// <param name="Detail">What was done, for the operator.</param>
public sealed record ResumeResult(string AccountId, string PreviousHealth, string Detail);
