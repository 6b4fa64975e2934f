namespace CollectorCluster.Core.Accounts;

/// <summary>How the POP3 connection is secured. There is no opportunistic mode: it can be stripped.</summary>
public enum TlsMode
{
    /// <summary>Plain text (port 110). Only for trusted networks.</summary>
    None,

    /// <summary>STLS on the plain port; the session fails if the server does not offer it.</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 995, RFC 8314).</summary>
    Implicit,
}
