namespace CollectorCluster.Core.Planning;

/// <summary>
/// How much one POP3 session may delete before it QUITs (committing) and reconnects: a dropped link then loses at
/// most one chunk's deletions, not a whole session's. 0 (or less) in both means never split.
/// </summary>
/// <param name="Messages">Messages fetched-and-deleted or deleted per session.</param>
/// <param name="Bytes">Bytes fetched per session in delete mode.</param>
public sealed record CommitEvery(int Messages, long Bytes)
{
    /// <summary>Never split a session.</summary>
    public static readonly CommitEvery Never = new(0, 0);

    /// <summary>The default: 500 messages or 100 MiB.</summary>
    public static readonly CommitEvery Default = new(500, 100L * 1024 * 1024);

    /// <summary>True when sessions are never split.</summary>
    public bool IsNever => Messages <= 0 && Bytes <= 0;
}
