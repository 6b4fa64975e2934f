namespace CollectorCluster.Core.Events;

/// <summary>
/// The seed's "reset a POP3 collector": the account forgets which messages it collected (all of them, or those first
/// seen since <paramref name="Since"/>), so the next session fetches them again. Totals are history and stay.
/// </summary>
/// <param name="Since">Forget only messages first seen at or after this; null forgets all.</param>
/// <param name="Forgotten">How many collected UIDLs were forgotten (for the operator's record).</param>
/// <param name="Bytes">Their size in octets.</param>
/// <param name="At">When the reset happened.</param>
public sealed record CollectorReset(DateTimeOffset? Since, int Forgotten, long Bytes, DateTimeOffset At) : IAccountEvent;
