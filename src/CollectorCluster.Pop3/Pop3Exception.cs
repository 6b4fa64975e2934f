namespace CollectorCluster.Pop3;

/// <summary>
/// The single failure type of the POP3 engine. It carries the stage, a classification and the server's own
/// reply and response code (RFC 2449/3206), which MailKit loses, so retry and lockout decisions can be made
/// on facts. Its texts never contain the account's password.
/// </summary>
public sealed class Pop3Exception : Exception
{
    /// <summary>Creates the exception; only the engine raises it, after scrubbing any secret from the texts.</summary>
    internal Pop3Exception(Pop3Stage stage, Pop3ErrorKind kind, string message, string? responseCode = null, string? serverReply = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Stage = stage;
        Kind = kind;
        ResponseCode = responseCode;
        ServerReply = serverReply;
    }

    /// <summary>Where the failure happened.</summary>
    public Pop3Stage Stage { get; }

    /// <summary>What kind of failure it is.</summary>
    public Pop3ErrorKind Kind { get; }

    /// <summary>The bracketed response code of the -ERR line (IN-USE, LOGIN-DELAY, SYS/TEMP, SYS/PERM, AUTH...) or null.</summary>
    public string? ResponseCode { get; }

    /// <summary>The server's -ERR line as received (never containing a secret), or null when the server said nothing.</summary>
    public string? ServerReply { get; }

    /// <summary>Set when a message's body ran past its limit (<see cref="Pop3ErrorKind.LimitExceeded"/>): which, and how.</summary>
    public Pop3BodyOverrun? Overrun { get; internal set; }

    /// <summary>
    /// True when trying again later may succeed without anyone changing anything: network, timeout and session
    /// deadline failures and the IN-USE, LOGIN-DELAY and SYS/TEMP response codes.
    /// </summary>
    public bool IsTransient =>
        Kind is Pop3ErrorKind.Network or Pop3ErrorKind.Timeout or Pop3ErrorKind.Deadline
        || IsTransientCode(ResponseCode);

    /// <summary>Whether a response code (RFC 2449/3206) means "later", as opposed to "never with these settings".</summary>
    internal static bool IsTransientCode(string? code) =>
        code is not null
        && (code.Equals("IN-USE", StringComparison.OrdinalIgnoreCase)
            || code.Equals("LOGIN-DELAY", StringComparison.OrdinalIgnoreCase)
            || code.StartsWith("SYS/TEMP", StringComparison.OrdinalIgnoreCase));
}
