using CollectorCluster.Actors.OAuth2;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Events;
using CollectorCluster.Core.State;
using CollectorCluster.Pop3;

namespace CollectorCluster.Actors.Collection;

/// <summary>
/// Connects an account: with its password, or for XOAUTH2/OAUTHBEARER with an access token from
/// <see cref="OAuth2TokenSource"/>, refreshed and retried once when the server refuses a cached one (it may have
/// been revoked or expired early). Never more than two logins, so a dead token cannot lock an account out. A refresh
/// token the endpoint rotates is sealed under the node key and journalled (<see cref="RefreshTokenRotated"/>) before it
/// is relied on, and used from then on while the configured token is the one it descends from.
/// </summary>
internal static class AccountConnector
{
    /// <summary>What the digest of a configured refresh token is taken over (apart from the token itself).</summary>
    private const string RefreshTokenPurpose = "oauth2-refresh-token\n";

    public static async Task<IPop3Session> ConnectAsync(AccountSettings account, AccountState state, CollectionEnvironment env, ICollectionRecorder recorder, CancellationToken cancellationToken)
    {
        var options = Pop3ConnectOptions.FromAccount(account) with { Limits = env.Tuning.Pop3 };
        if (account.Auth is not (AuthMethod.XOAuth2 or AuthMethod.OAuthBearer))
        {
            return await env.Connect(options, cancellationToken).ConfigureAwait(false);
        }

        var configured = account.OAuth2 ?? throw new InvalidOperationException($"Account {account.Id} uses {account.Auth} without an oauth2 section.");
        var configuredDigest = env.Secrets?.Digest(RefreshTokenPurpose + configured.RefreshToken.Reveal());
        var oauth = configured with { RefreshToken = CurrentRefreshToken(account.Id, configured, configuredDigest, state, env) };

        async Task Rotated(Secret fresh)
        {
            if (env.Secrets is { } secrets && configuredDigest is not null)
            {
                var sealedToken = secrets.Seal(account.Id, fresh);
                await recorder.RecordAsync([new RefreshTokenRotated(sealedToken, configuredDigest, env.Clock.GetUtcNow())]).ConfigureAwait(false);
            }
        }

        var refreshes = env.OAuth2.Refreshes;
        var token = await env.OAuth2.GetAsync(account.Id, oauth, forceRefresh: false, cancellationToken, Rotated).ConfigureAwait(false);
        try
        {
            return await env.Connect(options with { Password = token }, cancellationToken).ConfigureAwait(false);
        }
        catch (Pop3Exception e) when (e.Kind == Pop3ErrorKind.Authentication && env.OAuth2.Refreshes == refreshes)
        {
            // The token came from the cache and was refused: refresh once and try again.
            token = await env.OAuth2.GetAsync(account.Id, oauth, forceRefresh: true, cancellationToken, Rotated).ConfigureAwait(false);
            return await env.Connect(options with { Password = token }, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The journalled rotated refresh token when it descends from the configured one (a new token in the configuration
    /// wins) and the node key opens it; otherwise the configured token.
    /// </summary>
    private static Secret CurrentRefreshToken(string accountId, OAuth2Settings configured, string? configuredDigest, AccountState state, CollectionEnvironment env)
    {
        if (state.RefreshToken is not { } rotated || env.Secrets is not { } secrets || configuredDigest is null || rotated.ConfiguredDigest != configuredDigest)
        {
            return configured.RefreshToken;
        }

        try
        {
            return secrets.Open(accountId, rotated.Sealed);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return configured.RefreshToken; // another node key sealed it: the configured token is all there is
        }
    }
}
