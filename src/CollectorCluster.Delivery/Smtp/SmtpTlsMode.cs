namespace CollectorCluster.Delivery.Smtp;

/// <summary>Whether the link to the mail server is upgraded with STARTTLS (RFC 3207).</summary>
public enum SmtpTlsMode
{
    /// <summary>Plain text: for a local or trusted-network LMTP/SMTP server.</summary>
    None,

    /// <summary>STARTTLS, required: a server that does not advertise it is an error, never a silent downgrade.</summary>
    StartTls,
}
