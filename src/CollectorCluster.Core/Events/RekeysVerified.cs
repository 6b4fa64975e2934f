namespace CollectorCluster.Core.Events;

/// <summary>
/// Re-keyed messages downloaded again before a deletion and compared by content with what was delivered
/// (<see cref="Uidl.RekeyProof"/>): the confirmed are the delivered messages under their new UIDL and may be deleted;
/// the refuted only matched by their headers, are another message, and are forgotten so that the next session collects
/// them.
/// </summary>
/// <param name="Confirmed">New UIDLs whose content is the delivered message's.</param>
/// <param name="Refuted">New UIDLs whose content differs.</param>
/// <param name="At">When they were compared.</param>
public sealed record RekeysVerified(IReadOnlyList<string> Confirmed, IReadOnlyList<string> Refuted, DateTimeOffset At) : IAccountEvent;
