using CollectorCluster.Core.Uidl;

namespace CollectorCluster.Core.Events;

/// <summary>
/// The server renamed collected messages (a provider migration changed their UIDLs); matched by header fingerprint,
/// they keep their collected state under the new UIDL instead of being collected again.
/// </summary>
/// <param name="Rekeys">Old and new UIDL of each renamed message.</param>
/// <param name="At">When it was detected.</param>
public sealed record UidlsRekeyed(IReadOnlyList<UidlRekey> Rekeys, DateTimeOffset At) : IAccountEvent;
