namespace CollectorCluster.Pop3;

/// <summary>
/// What a POP3 server may send before the engine gives up on it, so a hostile or broken server can neither
/// exhaust the node's memory or disk nor hold a session forever (<c>collector.pop3</c> in HOCON). Node-wide, not
/// per account: they protect the node, so whoever adds an account (at run time too) cannot lift them.
/// </summary>
/// <param name="MaxLineLength">
/// Longest status, listing or CAPA line accepted, in bytes (without CRLF). RFC 2449 caps response lines at 512
/// octets; the default leaves a broken server 16 times that.
/// </param>
/// <param name="MaxListedMessages">
/// Most lines one UIDL or LIST listing may have. A listed message costs about 90 bytes while the session plans with
/// 16-character UIDLs (Dovecot's) and about 250 with 70-character ones, the most a server can make the engine keep
/// (longer ones are keyed by a 71-character digest). The default, a quarter of a million messages (twenty years of
/// 35 a day left on the server), so bounds a hostile listing at about 60 MB.
/// </param>
/// <param name="BodySlack">
/// Bytes a message body may run past twice its listed size (a server that stores LF and sends CRLF can double a
/// message of empty lines) or past <c>max-message-size</c>; beyond that the retrieval is cut off.
/// </param>
/// <param name="DeadlineBase">Time a session may spend waiting on the server besides what its work earns (greeting, login, QUIT).</param>
/// <param name="DeadlinePerMessage">Waiting time each RETR, TOP or DELE adds to the session's allowance (round trips).</param>
/// <param name="MinThroughput">
/// The floor on throughput, bytes per second: every byte listed to fetch (and every listing byte received) adds
/// 1/floor seconds to the allowance. A server slower than this over a whole session runs out of allowance.
/// </param>
public sealed record Pop3Limits(
    int MaxLineLength,
    int MaxListedMessages,
    long BodySlack,
    TimeSpan DeadlineBase,
    TimeSpan DeadlinePerMessage,
    long MinThroughput)
{
    /// <summary>Lines a CAPA response may have (RFC 2449 defines about fifteen capabilities).</summary>
    public const int MaxCapabilityLines = 256;

    /// <summary>The shipped defaults, equal to <c>collector.pop3</c> in <c>hocon/collector.defaults.hocon</c>.</summary>
    public static Pop3Limits Default { get; } = new(
        MaxLineLength: 8 * 1024,
        MaxListedMessages: 250_000,
        BodySlack: 1024 * 1024,
        DeadlineBase: TimeSpan.FromMinutes(2),
        DeadlinePerMessage: TimeSpan.FromSeconds(2),
        MinThroughput: 8 * 1024);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (MaxLineLength is < 512 or > 1024 * 1024)
        {
            throw new ArgumentException($"max-line-length: {MaxLineLength} is out of range (512 to 1m bytes; RFC 2449 lines are at most 512 octets)");
        }

        if (MaxListedMessages < 1)
        {
            throw new ArgumentException($"max-listed-messages: {MaxListedMessages} must be at least 1");
        }

        if (BodySlack < 0)
        {
            throw new ArgumentException($"body-slack: {BodySlack} must not be negative");
        }

        if (DeadlineBase <= TimeSpan.Zero)
        {
            throw new ArgumentException($"session-deadline.base: {DeadlineBase} must be positive");
        }

        if (DeadlinePerMessage < TimeSpan.Zero)
        {
            throw new ArgumentException($"session-deadline.per-message: {DeadlinePerMessage} must not be negative");
        }

        if (MinThroughput < 1)
        {
            throw new ArgumentException($"session-deadline.min-throughput: {MinThroughput} must be at least 1 byte per second");
        }
    }

    /// <summary>
    /// The most body bytes accepted for a message listed at <paramref name="listedSize"/>: twice the listed size
    /// plus the slack, and with <paramref name="maxMessageSize"/> set (0 = none) no more than it (or the listed
    /// size, for a message fetched on purpose despite it) plus the slack.
    /// </summary>
    public long BodyLimit(long listedSize, long maxMessageSize)
    {
        var listed = Math.Max(0, listedSize);
        var limit = SaturatingAdd(SaturatingAdd(listed, listed), BodySlack);
        if (maxMessageSize > 0)
        {
            limit = Math.Min(limit, SaturatingAdd(Math.Max(maxMessageSize, listed), BodySlack));
        }

        return limit;
    }

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;
}
