using Akka.Configuration.Hocon;
using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Node.Configuration;

/// <summary>
/// Reads an account's <c>oauth2 { token-endpoint, client-id, client-secret, refresh-token, scope }</c> strictly:
/// unknown keys, missing keys and a token endpoint that is not https (plain http only on a loopback address, for
/// tests) are errors naming the account and key. The secrets become <see cref="Secret"/>s at once.
/// </summary>
internal static class OAuth2ConfigReader
{
    private static readonly string[] KnownKeys = ["token-endpoint", "client-id", "client-secret", "refresh-token", "scope"];

    /// <summary>The settings, or null after adding the problems to <paramref name="errors"/>.</summary>
    public static OAuth2Settings? Read(HoconValue? value, string where, List<string> errors)
    {
        var before = errors.Count;
        void Error(string key, string problem) => errors.Add($"{where}: oauth2.{key}: {problem}");
        if (value is null || !value.IsObject())
        {
            errors.Add($"{where}: oauth2: required with auth = xoauth2 or oauthbearer, as an object {{ token-endpoint = ..., client-id = ..., refresh-token = ... }}");
            return null;
        }

        var obj = value.GetObject();
        foreach (var key in obj.Items.Keys.Where(k => !KnownKeys.Contains(k)))
        {
            Error(key, $"unknown key (known: {string.Join(", ", KnownKeys)})");
        }

        string? Text(string key, bool required)
        {
            if (!obj.Items.TryGetValue(key, out var v) || v.IsEmpty)
            {
                if (required)
                {
                    Error(key, "is required");
                }

                return null;
            }

            var text = v.IsString() ? v.GetString()?.Trim() : null;
            if (string.IsNullOrEmpty(text))
            {
                Error(key, "must be a non-empty string");
                return null;
            }

            return text;
        }

        var endpointText = Text("token-endpoint", required: true);
        Uri? endpoint = null;
        if (endpointText is not null)
        {
            if (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint))
            {
                Error("token-endpoint", $"'{endpointText}' is not an absolute URL");
            }
            else if (endpoint.Scheme != Uri.UriSchemeHttps && !(endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback))
            {
                Error("token-endpoint", "must be https (plain http only on a loopback address): the refresh token travels in it");
            }
        }

        var clientId = Text("client-id", required: true);
        var clientSecret = Text("client-secret", required: false);
        var refreshToken = Text("refresh-token", required: true);
        var scope = Text("scope", required: false);
        return errors.Count == before
            ? new OAuth2Settings(endpoint!, clientId!, clientSecret is null ? null : new Secret(clientSecret), new Secret(refreshToken!), scope)
            : null;
    }
}
