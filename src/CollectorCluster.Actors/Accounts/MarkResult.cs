namespace CollectorCluster.Actors.Accounts;

/// <summary>The answer to <see cref="MarkMessage"/>, sent after the mark is persisted, so an operator knows whether it took.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Uidl">The message's UIDL.</param>
/// <param name="Applied">True when the mark was recorded (or cleared).</param>
/// <param name="Detail">What happened, or why it was refused.</param>
public sealed record MarkResult(string AccountId, string Uidl, bool Applied, string Detail);
