namespace CollectorCluster.Core.Accounts;

/// <summary>
/// An account's OAuth2 client (<c>oauth2 { ... }</c>): the collector trades the stored refresh token for short-lived
/// access tokens at the token endpoint (RFC 6749 6). Access tokens live in memory only; the secrets here redact.
/// </summary>
/// <param name="TokenEndpoint">The provider's token endpoint (https, or http on a loopback address for tests).</param>
/// <param name="ClientId">The registered client id.</param>
/// <param name="ClientSecret">The client secret, or null for a public client.</param>
/// <param name="RefreshToken">The long-lived refresh token.</param>
/// <param name="Scope">The scope to ask for, or null to keep the grant's.</param>
public sealed record OAuth2Settings(Uri TokenEndpoint, string ClientId, Secret? ClientSecret, Secret RefreshToken, string? Scope);
