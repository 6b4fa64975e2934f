namespace CollectorCluster.Core.Accounts;

/// <summary>
/// The one authentication method an account uses. Exactly one is tried per session, so a wrong
/// password costs one failed login, never a burst of APOP/SASL/USER attempts that locks the account.
/// </summary>
public enum AuthMethod
{
    /// <summary>USER then PASS (RFC 1939).</summary>
    UserPass,

    /// <summary>APOP with the greeting's timestamp.</summary>
    Apop,

    /// <summary>SASL PLAIN.</summary>
    Plain,

    /// <summary>SASL LOGIN.</summary>
    Login,

    /// <summary>SASL CRAM-MD5.</summary>
    CramMd5,

    /// <summary>SASL SCRAM-SHA-256.</summary>
    ScramSha256,

    /// <summary>SASL XOAUTH2 (Google, Microsoft) with an access token the collector refreshes itself (<see cref="OAuth2Settings"/>).</summary>
    XOAuth2,

    /// <summary>SASL OAUTHBEARER (RFC 7628) with an access token the collector refreshes itself (<see cref="OAuth2Settings"/>).</summary>
    OAuthBearer,
}
