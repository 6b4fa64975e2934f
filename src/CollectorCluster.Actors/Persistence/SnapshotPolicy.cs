using CollectorCluster.Core.Policy;

namespace CollectorCluster.Actors.Persistence;

/// <summary>The persisted form of <see cref="ServerPolicyState"/>: the health by name, so renumbering the enum never corrupts a snapshot.</summary>
public sealed record SnapshotPolicy(string Health, string Reason, DateTimeOffset? NotBefore, DateTimeOffset? LastLoginAt, int? LoginDelaySeconds, string? Expire)
{
    /// <summary>Captures the policy state.</summary>
    public static SnapshotPolicy From(ServerPolicyState p) => new(p.Health.ToString(), p.Reason, p.NotBefore, p.LastLoginAt, p.LoginDelaySeconds, p.Expire);

    /// <summary>Rebuilds it.</summary>
    public ServerPolicyState ToState() => new(Enum.Parse<AccountHealth>(Health), Reason, NotBefore, LastLoginAt, LoginDelaySeconds, Expire);
}
