namespace CollectorCluster.Delivery.Smtp;

/// <summary>
/// The two dialects one client speaks: they differ in the greeting command and in LMTP's reply per recipient after
/// the final dot (RFC 2033), which tells exactly which mailboxes took the message.
/// </summary>
public enum SmtpDialect
{
    /// <summary>RFC 2033: LHLO, one reply per accepted recipient after DATA.</summary>
    Lmtp,

    /// <summary>RFC 5321: EHLO (HELO fallback), one reply after DATA.</summary>
    Smtp,
}
