namespace CollectorCluster.Core.Events;

/// <summary>Accounts left the accounts file (a reload applied a file without them). Manifest <c>FileAccountsUnlisted.v1</c>.</summary>
/// <param name="Ids">The account ids.</param>
/// <param name="At">When.</param>
public sealed record FileAccountsUnlisted(IReadOnlyList<string> Ids, DateTimeOffset At) : IRegistryEvent;
