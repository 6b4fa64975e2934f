using CollectorCluster.Testing;

namespace CollectorCluster.Delivery.Tests;

/// <summary>One private Dovecot with its LMTP service on, shared by the real-server delivery tests.</summary>
public sealed class LmtpDovecotFixture : DovecotFixture
{
    /// <inheritdoc />
    protected override DovecotServerOptions CreateOptions() => new() { EnableLmtp = true };
}
