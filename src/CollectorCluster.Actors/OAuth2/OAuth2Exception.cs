namespace CollectorCluster.Actors.OAuth2;

/// <summary>
/// The token endpoint did not give an access token. <see cref="GrantRefused"/> means retrying cannot help (the
/// refresh token was revoked or expired: <c>invalid_grant</c>, or the client was refused); otherwise it is transient.
/// The message names the endpoint and the provider's error code, never a token or secret.
/// </summary>
public sealed class OAuth2Exception : Exception
{
    /// <summary>Creates the exception.</summary>
    public OAuth2Exception(string message, bool grantRefused, Exception? innerException = null)
        : base(message, innerException)
    {
        GrantRefused = grantRefused;
    }

    /// <summary>True when the grant or client was refused: an operator must store a new refresh token.</summary>
    public bool GrantRefused { get; }
}
