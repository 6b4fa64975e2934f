namespace CollectorCluster.Core.Events;

/// <summary>Accounts of the accounts file became known to the cluster (a start or reload applied a file that has them). Manifest <c>FileAccountsListed.v1</c>.</summary>
/// <param name="Ids">The account ids.</param>
/// <param name="At">When.</param>
public sealed record FileAccountsListed(IReadOnlyList<string> Ids, DateTimeOffset At) : IRegistryEvent;
