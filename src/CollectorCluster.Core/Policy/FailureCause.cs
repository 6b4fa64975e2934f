namespace CollectorCluster.Core.Policy;

/// <summary>
/// Why a session failed, reduced to what the server policy needs: the RFC 2449/3206 response code where the
/// server gave one, else the kind of failure. The POP3 engine's exceptions map onto it.
/// </summary>
public enum FailureCause
{
    /// <summary>The session did not fail.</summary>
    None,

    /// <summary>Connection refused, reset or broken.</summary>
    Network,

    /// <summary>The server did not answer in time.</summary>
    Timeout,

    /// <summary>The server certificate was refused (chain, host name, pin).</summary>
    Certificate,

    /// <summary>TLS required but not offered, or the handshake failed.</summary>
    TlsUnavailable,

    /// <summary>Credentials refused: [AUTH] or a plain -ERR to the login.</summary>
    Authentication,

    /// <summary>[IN-USE]: another session holds the mailbox lock.</summary>
    InUse,

    /// <summary>[LOGIN-DELAY]: logged in again too soon.</summary>
    LoginDelay,

    /// <summary>[SYS/TEMP]: a temporary server-side fault.</summary>
    SysTemp,

    /// <summary>[SYS/PERM]: a permanent server-side fault; retrying will not help.</summary>
    SysPerm,

    /// <summary>The OAuth2 token endpoint refused the refresh token (invalid_grant and the like).</summary>
    OAuthGrantRefused,

    /// <summary>Any other -ERR, a garbled reply, or a failure on our side (delivery, journal).</summary>
    Other,

    /// <summary>The server was reached, then the connection broke (mid-session, e.g. in the middle of a message).</summary>
    ConnectionLost,

    /// <summary>The session waited on the server longer than its deadline allows (a trickling server).</summary>
    SessionDeadline,

    /// <summary>The destination refused a message for good (LMTP/SMTP 5xx, an MDA's failure status): retrying the same delivery cannot help.</summary>
    DeliveryRefused,

    /// <summary>
    /// Collecting would break a promise the collector keeps: a server without UIDL with leave-mail-on-server, a UIDL
    /// migration that cannot be confirmed without downloading the mailbox again. Nothing was collected or deleted.
    /// </summary>
    Unsafe,

    /// <summary>The session was stopped from our side (SIGTERM, hand-off) before it could commit: not the server's doing.</summary>
    Stopped,

    /// <summary>
    /// A message's body ran past the limit its listed size allows (the server lists it smaller than it is): it would stop
    /// every session, so an operator decides (delete it unread, or raise the limit). Nothing of it was kept.
    /// </summary>
    MessageOverrun,
}
