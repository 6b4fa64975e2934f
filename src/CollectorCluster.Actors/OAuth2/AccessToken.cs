namespace CollectorCluster.Actors.OAuth2;

/// <summary>An access token held in memory only, with its expiry. Never journalled, logged or printed.</summary>
internal sealed record AccessToken(string Value, DateTimeOffset ExpiresAt)
{
    /// <inheritdoc />
    public override string ToString() => $"access token expiring {ExpiresAt:u}";
}
