namespace CollectorCluster.Delivery.Smtp;

/// <summary>One (possibly multi-line) reply: its three-digit code and the text of every line.</summary>
/// <param name="Code">The reply code, e.g. 250.</param>
/// <param name="Lines">The text after the code on each line.</param>
public sealed record SmtpReply(int Code, IReadOnlyList<string> Lines)
{
    /// <summary>2xx.</summary>
    public bool IsPositive => Code is >= 200 and < 300;

    /// <summary>4xx: try again later.</summary>
    public bool IsTransient => Code is >= 400 and < 500;

    /// <summary>The reply as the server sent it, lines joined with " / " for one-line error messages.</summary>
    public override string ToString() => $"{Code} {string.Join(" / ", Lines)}".TrimEnd();
}
