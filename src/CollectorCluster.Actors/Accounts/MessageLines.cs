namespace CollectorCluster.Actors.Accounts;

/// <summary>The answer to <see cref="GetMessageLines"/>: one line per collected or marked message, ordered by UIDL (ordinal).</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Lines">The lines.</param>
public sealed record MessageLines(string AccountId, IReadOnlyList<MessageLine> Lines);
