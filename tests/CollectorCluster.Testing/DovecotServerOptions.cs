namespace CollectorCluster.Testing;

/// <summary>
/// Knobs for a private Dovecot: extra config lines let a test provoke server behaviour (connection limits,
/// login delays, workarounds) without a new fixture type.
/// </summary>
public sealed class DovecotServerOptions
{
    /// <summary>
    /// Raw lines appended to the generated dovecot.conf after the defaults (a later setting overrides an
    /// earlier one), e.g. <c>mail_max_userip_connections = 1</c> inside <c>protocol pop3 { }</c>,
    /// <c>login_trusted_networks = 127.0.0.1/32</c> or <c>pop3_client_workarounds = outlook-no-nuls</c>.
    /// </summary>
    public IList<string> ExtraConfigLines { get; init; } = [];

    /// <summary>The certificate to serve; null creates a fresh localhost certificate owned by the server.</summary>
    public TestCertificate? Certificate { get; init; }

    /// <summary>The system account owning mailboxes (created when missing).</summary>
    public string MailUserName { get; init; } = SystemMailUser.DefaultName;

    /// <summary>How long to wait for the +OK greeting before failing with the log tail.</summary>
    public TimeSpan StartupTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Also run Dovecot's LMTP service on a reserved 127.0.0.1 port (<see cref="DovecotServer.LmtpPort"/>), so
    /// delivery tests can hand mail to a real LMTP server. Needs the dovecot-lmtpd package.
    /// </summary>
    public bool EnableLmtp { get; init; }

    /// <summary>Keep the temp directory after dispose (for debugging a failing test).</summary>
    public bool KeepDirectory { get; init; }
}
