namespace CollectorCluster.Node.Observability;

/// <summary>To the <see cref="ObservationListener"/>: the accounts this node hosts, counted by status word (<c>collector list --node</c>).</summary>
/// <param name="ByStatus">Accounts per status.</param>
public sealed record AccountsCounted(IReadOnlyDictionary<string, int> ByStatus);
