namespace CollectorCluster.Core.Events;

/// <summary>
/// A node applied its accounts file to the cluster (at its start, on SIGHUP or <c>collector reload</c>). The digest (an
/// HMAC under the cluster key of the file's accounts, secrets included, so it reveals nothing) lets a node that starts
/// with an older copy of the file see that it is older, rather than undo a newer one. Manifest <c>AccountsFileApplied.v1</c>.
/// </summary>
/// <param name="Digest">The accounts' digest, hex.</param>
/// <param name="KeyId">The id of the cluster key it was sealed with: a node whose key has another id cannot open what the cluster holds.</param>
/// <param name="Node">The node that applied it (its cluster address).</param>
/// <param name="At">When.</param>
public sealed record AccountsFileApplied(string Digest, string KeyId, string Node, DateTimeOffset At) : IRegistryEvent;
