using CollectorCluster.Actors.OAuth2;
using CollectorCluster.Core.Accounts;
using CollectorCluster.Pop3;

namespace CollectorCluster.Actors.Collection;

/// <summary>
/// Connects an account: with its password, or for XOAUTH2/OAUTHBEARER with an access token from
/// <see cref="OAuth2TokenSource"/>, refreshed and retried once when the server refuses a cached one (it may have
/// been revoked or expired early). Never more than two logins, so a dead token cannot lock an account out.
/// </summary>
internal static class AccountConnector
{
    public static async Task<IPop3Session> ConnectAsync(AccountSettings account, CollectionEnvironment env, CancellationToken cancellationToken)
    {
        var options = Pop3ConnectOptions.FromAccount(account) with { Limits = env.Tuning.Pop3 };
        if (account.Auth is not (AuthMethod.XOAuth2 or AuthMethod.OAuthBearer))
        {
            return await env.Connect(options, cancellationToken).ConfigureAwait(false);
        }

        var oauth = account.OAuth2 ?? throw new InvalidOperationException($"Account {account.Id} uses {account.Auth} without an oauth2 section.");
        var refreshes = env.OAuth2.Refreshes;
        var token = await env.OAuth2.GetAsync(account.Id, oauth, forceRefresh: false, cancellationToken).ConfigureAwait(false);
        try
        {
            return await env.Connect(options with { Password = token }, cancellationToken).ConfigureAwait(false);
        }
        catch (Pop3Exception e) when (e.Kind == Pop3ErrorKind.Authentication && env.OAuth2.Refreshes == refreshes)
        {
            // The token came from the cache and was refused: refresh once and try again.
            token = await env.OAuth2.GetAsync(account.Id, oauth, forceRefresh: true, cancellationToken).ConfigureAwait(false);
            return await env.Connect(options with { Password = token }, cancellationToken).ConfigureAwait(false);
        }
    }
}
