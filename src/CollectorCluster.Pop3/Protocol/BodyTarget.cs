namespace CollectorCluster.Pop3.Protocol;

/// <summary>
/// The message whose body (RETR or TOP) the wire is reading, so a failure in the middle of it names the message,
/// how far it got and the limit it was held to.
/// </summary>
/// <param name="Command">"RETR" or "TOP".</param>
/// <param name="Number">The message number.</param>
/// <param name="Uidl">The message's UIDL key, or null when the server has none.</param>
/// <param name="ListedSize">The size LIST gave.</param>
/// <param name="Limit">The most body bytes accepted (<see cref="Pop3Limits.BodyLimit"/>).</param>
/// <param name="LimitText">How the limit was reached, for the error (e.g. "twice the listed size + body-slack 1,048,576").</param>
/// <param name="ByMaxMessageSize">The account's max-message-size set the limit (not twice the listed size).</param>
internal readonly record struct BodyTarget(string Command, int Number, string? Uidl, long ListedSize, long Limit, string LimitText, bool ByMaxMessageSize = false)
{
    /// <summary>"message 5 (UIDL abc)", the way every error names it.</summary>
    public string Name => $"message {Number} (UIDL {Uidl ?? "none"})";
}
