using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Actors.OAuth2;

/// <summary>
/// Access tokens for OAuth2 accounts: refreshed at the account's token endpoint (RFC 6749 6, refresh_token grant)
/// when none is cached, when the cached one is within <see cref="Margin"/> of expiry, or when the server refused it.
/// Access tokens stay in this process's memory; a restarted node simply refreshes again. A new refresh token in the
/// endpoint's answer (rotation: the old one may stop working) is handed to the caller to keep, and used from then on in
/// this process in place of the one it replaced.
/// </summary>
public sealed class OAuth2TokenSource : IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _clock;
    private readonly bool _ownsHttp;
    private readonly ConcurrentDictionary<string, AccessToken> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (Secret Replaced, Secret Current)> _rotated = new(StringComparer.Ordinal);

    /// <summary>Creates a source; <paramref name="http"/> null means one of its own.</summary>
    public OAuth2TokenSource(TimeProvider clock, HttpClient? http = null)
    {
        _clock = clock;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>A token closer than this to expiry is refreshed before use (a session may outlive a nearly spent one).</summary>
    public TimeSpan Margin { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Token-endpoint requests made (for tests and figures).</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    private int _refreshes;

    /// <summary>A usable access token for <paramref name="accountId"/>; refreshes when needed or when <paramref name="forceRefresh"/>.</summary>
    /// <param name="accountId">The account.</param>
    /// <param name="settings">Its OAuth2 client, with the refresh token to use.</param>
    /// <param name="forceRefresh">Refresh even when a cached token would do (the server refused it).</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <param name="rotated">Called with a new refresh token the endpoint issued, before it is used (to keep it durably); null to keep it in memory only.</param>
    /// <exception cref="OAuth2Exception">The endpoint refused or failed.</exception>
    public async Task<Secret> GetAsync(string accountId, OAuth2Settings settings, bool forceRefresh, CancellationToken cancellationToken, Func<Secret, Task>? rotated = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!forceRefresh && _cache.TryGetValue(accountId, out var cached) && cached.ExpiresAt - Margin > _clock.GetUtcNow())
        {
            return new Secret(cached.Value);
        }

        // A token this process saw rotated away is replaced by its successor.
        if (_rotated.TryGetValue(accountId, out var chain) && chain.Replaced.Equals(settings.RefreshToken))
        {
            settings = settings with { RefreshToken = chain.Current };
        }

        var (fresh, refreshToken) = await RefreshAsync(settings, cancellationToken).ConfigureAwait(false);
        if (refreshToken is not null && !refreshToken.Equals(settings.RefreshToken))
        {
            if (rotated is not null)
            {
                await rotated(refreshToken).ConfigureAwait(false);
            }

            _rotated[accountId] = (settings.RefreshToken, refreshToken);
        }

        _cache[accountId] = fresh;
        return new Secret(fresh.Value);
    }

    /// <summary>Forgets an account's tokens (configuration changed).</summary>
    public void Forget(string accountId)
    {
        _cache.TryRemove(accountId, out _);
        _rotated.TryRemove(accountId, out _);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<(AccessToken Access, Secret? RefreshToken)> RefreshAsync(OAuth2Settings settings, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _refreshes);
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("refresh_token", settings.RefreshToken.Reveal()),
            new("client_id", settings.ClientId),
        };
        if (settings.ClientSecret is { } clientSecret)
        {
            form.Add(new("client_secret", clientSecret.Reveal()));
        }

        if (!string.IsNullOrWhiteSpace(settings.Scope))
        {
            form.Add(new("scope", settings.Scope));
        }

        var endpoint = settings.TokenEndpoint.GetLeftPart(UriPartial.Path);
        HttpResponseMessage response;
        try
        {
            using var content = new FormUrlEncodedContent(form);
            response = await _http.PostAsync(settings.TokenEndpoint, content, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new OAuth2Exception($"OAuth2 token endpoint {endpoint} could not be reached: {e.Message}", grantRefused: false, e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OAuth2Exception($"OAuth2 token endpoint {endpoint} did not answer in time", grantRefused: false, e);
        }

        using (response)
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            JsonElement json;
            try
            {
                json = JsonDocument.Parse(body).RootElement;
            }
            catch (JsonException)
            {
                throw new OAuth2Exception($"OAuth2 token endpoint {endpoint} answered HTTP {(int)response.StatusCode} without a JSON body", grantRefused: false);
            }

            if (!response.IsSuccessStatusCode)
            {
                // RFC 6749 5.2: invalid_grant / invalid_client / unauthorized_client cannot succeed on retry.
                var error = json.ValueKind == JsonValueKind.Object && json.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() ?? "" : "";
                var refused = error is "invalid_grant" or "invalid_client" or "unauthorized_client" or "invalid_scope"
                    || response.StatusCode is HttpStatusCode.Unauthorized;
                var what = refused ? "refused the refresh token" : "failed";
                throw new OAuth2Exception(
                    $"OAuth2 token endpoint {endpoint} {what}: HTTP {(int)response.StatusCode}{(error.Length > 0 ? $" error={Safe(error)}" : "")}{(refused ? "; store a new refresh-token for this account" : "")}",
                    refused);
            }

            if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("access_token", out var token) || token.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(token.GetString()))
            {
                throw new OAuth2Exception($"OAuth2 token endpoint {endpoint} answered without an access_token", grantRefused: false);
            }

            // Without expires_in (it is optional), assume an hour, the common lifetime; a refusal refreshes sooner.
            var lifetime = json.TryGetProperty("expires_in", out var expires) && expires.TryGetInt32(out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromHours(1);

            // RFC 6749 6: the endpoint MAY issue a new refresh token; the client must then use it instead of the old one.
            var refresh = json.TryGetProperty("refresh_token", out var r) && r.ValueKind == JsonValueKind.String && !string.IsNullOrEmpty(r.GetString())
                ? new Secret(r.GetString()!)
                : null;
            return (new AccessToken(token.GetString()!, _clock.GetUtcNow() + lifetime), refresh);
        }
    }

    // The provider's error code is echoed in our message: keep it to the RFC's character set.
    private static string Safe(string code) => code.Length <= 64 && code.All(c => c is >= 'a' and <= 'z' or '_' or >= 'A' and <= 'Z') ? code : "(unrecognised)";
}
