namespace CollectorCluster.Core.Accounts;

/// <summary>
/// One remote POP3 mailbox, as the seed's Account Details tab describes it. Immutable; the password is a
/// <see cref="Secret"/> so printing the record never shows it.
/// </summary>
public sealed record AccountSettings
{
    /// <summary>Stable id; the entity id of the account actor and part of every delivered file name.</summary>
    public required string Id { get; init; }

    /// <summary>"POP3 Server": host name or address.</summary>
    public required string Pop3Server { get; init; }

    /// <summary>TCP port: 110 by default, 995 with implicit TLS.</summary>
    public required int Port { get; init; }

    /// <summary>"POP3 Account": the login name.</summary>
    public required string Pop3Account { get; init; }

    /// <summary>The account's password.</summary>
    public required Secret Password { get; init; }

    /// <summary>"SSL Collection".</summary>
    public TlsMode Ssl { get; init; } = TlsMode.None;

    /// <summary>Certificate chain and host name are checked unless the operator opts out for this account.</summary>
    public bool VerifyCertificate { get; init; } = true;

    /// <summary>Optional SHA-256 of the server certificate (hex); when set, only that certificate is accepted.</summary>
    public string? CertificateSha256 { get; init; }

    /// <summary>The single authentication method used.</summary>
    public AuthMethod Auth { get; init; } = AuthMethod.UserPass;

    /// <summary>"Leave Mail on Server": collected messages stay; only new UIDLs are fetched.</summary>
    public bool LeaveMailOnServer { get; init; }

    /// <summary>"Automatically delete after N days" (with leave-on-server); null = never.</summary>
    public int? DeleteAfterDays { get; init; }

    /// <summary>"Mirror Mailbox": deletions propagate both ways.</summary>
    public bool MirrorMailbox { get; init; }

    /// <summary>Mirror Mailbox: the largest share of the collected messages one session may delete in either direction.</summary>
    public double MirrorMaxShare { get; init; } = 0.5;

    /// <summary>"Local Area Network": collect even while the node is offline.</summary>
    public bool LocalAreaNetwork { get; init; } = true;

    /// <summary>"Download Smallest First" (on by default, as in the seed).</summary>
    public bool DownloadSmallestFirst { get; init; } = true;

    /// <summary>"Check mailbox every N minutes".</summary>
    public TimeSpan CheckEvery { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Destination, e.g. <c>maildir:/srv/mail/fred</c>.</summary>
    public required string Mailbox { get; init; }

    /// <summary>Higher goes first when connection tokens are scarce.</summary>
    public int Priority { get; init; }

    /// <summary>Disabled accounts are kept but never collected.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Bound on TCP connect plus TLS handshake and greeting.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Bound on any single command's reply (and on each read while a message streams).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Messages listed larger than this many bytes are oversize; 0 = no limit.</summary>
    public long MaxMessageSize { get; init; }

    /// <summary>What happens to an oversize message: skipped (reported) or fetched last.</summary>
    public Planning.OversizeHandling Oversize { get; init; } = Planning.OversizeHandling.Skip;

    /// <summary>In delete mode, QUIT (commit) and reconnect after this many messages or bytes.</summary>
    public Planning.CommitEvery CommitEvery { get; init; } = Planning.CommitEvery.Default;

    /// <summary>The address shown in listings, as Mailtraq shows it: account@server.</summary>
    public string Address => $"{Pop3Account}@{Pop3Server}";

    /// <summary>The OAuth2 client for <see cref="AuthMethod.XOAuth2"/> / <see cref="AuthMethod.OAuthBearer"/>; null otherwise.</summary>
    public OAuth2Settings? OAuth2 { get; init; }

    /// <summary>A multidrop (domain) mailbox's routing to local users; null for an ordinary mailbox (<see cref="Mailbox"/> then says where mail goes).</summary>
    public Routing.MultidropSettings? Multidrop { get; init; }

    /// <summary>A seed file of UIDLs another collector already fetched (written by <c>collector import</c>), taken over once; null when none.</summary>
    public string? ImportedUidls { get; init; }
}
