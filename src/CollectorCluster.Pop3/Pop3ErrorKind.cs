namespace CollectorCluster.Pop3;

/// <summary>
/// What kind of failure a <see cref="Pop3Exception"/> is, so the caller can decide between retrying later,
/// flagging the account's credentials, or flagging its TLS settings.
/// </summary>
public enum Pop3ErrorKind
{
    /// <summary>The connection could not be made, or broke (transient).</summary>
    Network,

    /// <summary>The server did not answer within the configured time (transient).</summary>
    Timeout,

    /// <summary>The server certificate was refused (chain, host name or pin).</summary>
    Certificate,

    /// <summary>TLS was required but the server does not offer it, or the handshake failed; never downgraded.</summary>
    TlsUnavailable,

    /// <summary>The server refused the credentials.</summary>
    Authentication,

    /// <summary>The server answered -ERR to a command (the response code says whether it is transient).</summary>
    ServerRefused,

    /// <summary>The server's reply was garbled or unexpected; the session cannot be trusted further.</summary>
    Protocol,

    /// <summary>
    /// The server sent more than <see cref="Pop3Limits"/> allow (a line too long, a listing too long, a body past its
    /// listed size); the session is cut off. It will happen again until the server or the limit changes.
    /// </summary>
    LimitExceeded,

    /// <summary>The session waited on the server longer than its deadline allows (a trickling server); transient.</summary>
    Deadline,
}
