namespace CollectorCluster.Core.Tokens;

/// <summary>
/// A server queue's request for one node-wide slot, carrying the priority and arrival time of the waiting session
/// it stands for, so the node pool orders servers' asks as it would order the sessions themselves.
/// </summary>
public readonly record struct SlotAsk(int Priority, DateTimeOffset Since);
