using CollectorCluster.Core.Policy;

namespace CollectorCluster.Actors.Persistence;

/// <summary>The persisted form of <see cref="ServerPolicyState"/>: the health by name, so renumbering the enum never corrupts a snapshot.</summary>
/// <remarks><see cref="SettingsDigest"/> came later under the same manifest: absent reads as unknown.</remarks>
public sealed record SnapshotPolicy(string Health, string Reason, DateTimeOffset? NotBefore, DateTimeOffset? LastLoginAt, int? LoginDelaySeconds, string? Expire, string? SettingsDigest = null)
{
    /// <summary>Captures the policy state.</summary>
    public static SnapshotPolicy From(ServerPolicyState p) => new(p.Health.ToString(), p.Reason, p.NotBefore, p.LastLoginAt, p.LoginDelaySeconds, p.Expire, p.SettingsDigest);

    /// <summary>Rebuilds it.</summary>
    public ServerPolicyState ToState() => new(Enum.Parse<AccountHealth>(Health), Reason, NotBefore, LastLoginAt, LoginDelaySeconds, Expire) { SettingsDigest = SettingsDigest };
}
