namespace CollectorCluster.Core.Accounts;

/// <summary>An account's OAuth2 client as <see cref="SealedAccountSettings"/> carries it: the client secret and refresh token sealed.</summary>
/// <param name="TokenEndpoint">The provider's token endpoint.</param>
/// <param name="ClientId">The registered client id.</param>
/// <param name="ClientSecret">The client secret, sealed; null for a public client.</param>
/// <param name="RefreshToken">The refresh token, sealed.</param>
/// <param name="Scope">The scope to ask for, or null.</param>
public sealed record SealedOAuth2Settings(Uri TokenEndpoint, string ClientId, SealedPassword? ClientSecret, SealedPassword RefreshToken, string? Scope);
