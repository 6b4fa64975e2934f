namespace CollectorCluster.Pop3;

/// <summary>
/// A message whose body ran past the limit it was held to (<see cref="Pop3Limits.BodyLimit"/>): the server lists it
/// smaller than it is, and will again, so every session would stop at it until an operator decides.
/// </summary>
/// <param name="Number">The message number in the session that saw it.</param>
/// <param name="Uidl">Its UIDL key, or null when the server has none.</param>
/// <param name="ListedSize">The size LIST gave.</param>
/// <param name="Limit">The most body bytes accepted.</param>
/// <param name="ByMaxMessageSize">
/// The account's max-message-size set the limit (raising it helps, up to twice the listed size plus the slack);
/// false: twice the listed size plus <c>collector.pop3.body-slack</c> did.
/// </param>
public sealed record Pop3BodyOverrun(int Number, string? Uidl, long ListedSize, long Limit, bool ByMaxMessageSize);
