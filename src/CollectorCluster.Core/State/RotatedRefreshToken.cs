using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Core.State;

/// <summary>The latest refresh token the OAuth2 endpoint issued, sealed, and the digest of the configured token it replaced.</summary>
/// <param name="Sealed">The token, sealed under the node key.</param>
/// <param name="ConfiguredDigest">Keyed digest of the configured refresh token it descends from.</param>
public sealed record RotatedRefreshToken(SealedPassword Sealed, string ConfiguredDigest);
