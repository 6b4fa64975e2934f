using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Core.Events;

/// <summary>
/// The OAuth2 token endpoint issued a new refresh token (RFC 6749 6: the old one may no longer work). Kept sealed
/// under the node key, like passwords added at run time, and used from then on instead of the configured one as long
/// as the configured one is the token it descends from (a new token in the configuration wins).
/// </summary>
/// <param name="Sealed">The new refresh token, AES-GCM under the node key with the account id as associated data.</param>
/// <param name="ConfiguredDigest">The keyed digest of the configured refresh token at the time (never the token).</param>
/// <param name="At">When.</param>
public sealed record RefreshTokenRotated(SealedPassword Sealed, string ConfiguredDigest, DateTimeOffset At) : IAccountEvent;
