namespace CollectorCluster.Pop3;

/// <summary>
/// Where in the session a failure happened, so operators and retry policy can tell a refused login from a
/// dropped download without parsing message text.
/// </summary>
public enum Pop3Stage
{
    /// <summary>TCP connect (DNS, routing, refused port).</summary>
    Connect,

    /// <summary>TLS handshake (implicit or after STLS) and certificate checks.</summary>
    Tls,

    /// <summary>The server's first line.</summary>
    Greeting,

    /// <summary>CAPA (before login, after STLS, after login).</summary>
    Capabilities,

    /// <summary>USER/PASS, APOP or AUTH.</summary>
    Authenticate,

    /// <summary>UIDL and LIST.</summary>
    List,

    /// <summary>RETR and the streamed message body.</summary>
    Retrieve,

    /// <summary>DELE.</summary>
    Delete,

    /// <summary>QUIT (the commit point of deletions).</summary>
    Quit,
}
