namespace CollectorCluster.Core.Policy;

/// <summary>What the account remembers of its server's policy: its health, the last login and the advertised limits.</summary>
/// <param name="Health">Current health.</param>
/// <param name="Reason">Why (empty when healthy).</param>
/// <param name="NotBefore">Earliest next connect the policy allowed, or null.</param>
/// <param name="LastLoginAt">The last successful login; with <paramref name="LoginDelaySeconds"/> it gates the next connect, across restarts.</param>
/// <param name="LoginDelaySeconds">LOGIN-DELAY as last advertised, or null.</param>
/// <param name="Expire">EXPIRE as last advertised, or null.</param>
public sealed record ServerPolicyState(
    AccountHealth Health,
    string Reason,
    DateTimeOffset? NotBefore,
    DateTimeOffset? LastLoginAt,
    int? LoginDelaySeconds,
    string? Expire)
{
    /// <summary>A new account: healthy, nothing known of the server.</summary>
    public static readonly ServerPolicyState Initial = new(AccountHealth.Healthy, "", null, null, null, null);

    /// <summary>LOGIN-DELAY as a span, or null.</summary>
    public TimeSpan? LoginDelay => LoginDelaySeconds is { } s ? TimeSpan.FromSeconds(s) : null;

    /// <summary>With NeedsOperator: the keyed digest of the settings that caused it (a different one heals), or null when unknown.</summary>
    public string? SettingsDigest { get; init; }
}
