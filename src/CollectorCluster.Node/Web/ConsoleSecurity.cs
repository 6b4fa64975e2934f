namespace CollectorCluster.Node.Web;

/// <summary>
/// The console's fixed security settings: the CSRF form field and header (ASP.NET Core antiforgery, checked on
/// every POST), the session cookie's name, and the headers every answer carries (a Content-Security-Policy that
/// allows only the node's own script and styles, no framing, no sniffing, no referrer).
/// </summary>
public static class ConsoleSecurity
{
    /// <summary>The hidden form field holding the CSRF token.</summary>
    public const string CsrfField = "__csrf";

    /// <summary>The header a script may send the CSRF token in instead.</summary>
    public const string CsrfHeader = "X-CSRF-Token";

    /// <summary>
    /// The Content-Security-Policy: everything from the node itself only, no inline script or style, no plugins,
    /// no framing, forms only to the node.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>The session cookie's name; with TLS the <c>__Host-</c> prefix (Secure, path /, no domain: browsers enforce it).</summary>
    public static string SessionCookie(bool tls) => tls ? "__Host-collector-session" : "collector-session";

    /// <summary>The antiforgery cookie's name.</summary>
    public static string CsrfCookie(bool tls) => tls ? "__Host-collector-csrf" : "collector-csrf";
}
