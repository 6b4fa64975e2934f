using CollectorCluster.Core.Accounts;

namespace CollectorCluster.Core.Migration;

/// <summary>How the peer got an account's password: written in its file, from a command, or from neither (asked for, a netrc, a key ring).</summary>
/// <param name="Clear">The password written in the peer's file; null when not there.</param>
/// <param name="Command">The command the peer ran for it (<c>passwordeval</c>, <c>password_command</c>); null when none.</param>
public sealed record PeerPassword(Secret? Clear, string? Command)
{
    /// <summary>No password in the file.</summary>
    public static readonly PeerPassword None = new(null, null);
}
