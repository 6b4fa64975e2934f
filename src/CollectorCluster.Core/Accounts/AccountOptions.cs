using CollectorCluster.Core.Planning;

namespace CollectorCluster.Core.Accounts;

/// <summary>
/// The keys an account was given, typed, before defaults: null means "not given", so the default applies (the node's
/// table of account keys holds the defaults). Accounts added at run time are journaled in this form, never as
/// configuration text, and an edit overlays the changed keys on it. Holds no secret: the password travels sealed.
/// </summary>
public sealed record AccountOptions
{
    /// <summary><c>pop3-server</c>.</summary>
    public string? Pop3Server { get; init; }

    /// <summary><c>port</c>.</summary>
    public int? Port { get; init; }

    /// <summary><c>pop3-account</c>.</summary>
    public string? Pop3Account { get; init; }

    /// <summary><c>ssl</c>.</summary>
    public TlsMode? Ssl { get; init; }

    /// <summary><c>verify-certificate</c>.</summary>
    public bool? VerifyCertificate { get; init; }

    /// <summary><c>certificate-sha256</c>.</summary>
    public string? CertificateSha256 { get; init; }

    /// <summary><c>auth</c>.</summary>
    public AuthMethod? Auth { get; init; }

    /// <summary><c>leave-mail-on-server</c>.</summary>
    public bool? LeaveMailOnServer { get; init; }

    /// <summary><c>delete-after-days</c>.</summary>
    public int? DeleteAfterDays { get; init; }

    /// <summary><c>mirror-mailbox</c>.</summary>
    public bool? MirrorMailbox { get; init; }

    /// <summary><c>mirror-max-share</c>.</summary>
    public double? MirrorMaxShare { get; init; }

    /// <summary><c>local-area-network</c>.</summary>
    public bool? LocalAreaNetwork { get; init; }

    /// <summary><c>download-smallest-first</c>.</summary>
    public bool? DownloadSmallestFirst { get; init; }

    /// <summary><c>check-every</c>.</summary>
    public TimeSpan? CheckEvery { get; init; }

    /// <summary><c>mailbox</c>, as given (a relative maildir path is resolved against the node file's directory when applied).</summary>
    public string? Mailbox { get; init; }

    /// <summary><c>priority</c>.</summary>
    public int? Priority { get; init; }

    /// <summary><c>enabled</c>.</summary>
    public bool? Enabled { get; init; }

    /// <summary><c>connect-timeout</c>.</summary>
    public TimeSpan? ConnectTimeout { get; init; }

    /// <summary><c>command-timeout</c>.</summary>
    public TimeSpan? CommandTimeout { get; init; }

    /// <summary><c>max-message-size</c>, bytes.</summary>
    public long? MaxMessageSize { get; init; }

    /// <summary><c>commit-every.messages</c>.</summary>
    public int? CommitEveryMessages { get; init; }

    /// <summary><c>commit-every.bytes</c>.</summary>
    public long? CommitEveryBytes { get; init; }

    /// <summary><c>oversize</c>.</summary>
    public OversizeHandling? Oversize { get; init; }

    /// <summary>These options where given, <paramref name="basis"/>'s elsewhere (an edit over the stored account, or an account over the defaults).</summary>
    public AccountOptions Over(AccountOptions basis)
    {
        ArgumentNullException.ThrowIfNull(basis);
        return new AccountOptions
        {
            Pop3Server = Pop3Server ?? basis.Pop3Server,
            Port = Port ?? basis.Port,
            Pop3Account = Pop3Account ?? basis.Pop3Account,
            Ssl = Ssl ?? basis.Ssl,
            VerifyCertificate = VerifyCertificate ?? basis.VerifyCertificate,
            CertificateSha256 = CertificateSha256 ?? basis.CertificateSha256,
            Auth = Auth ?? basis.Auth,
            LeaveMailOnServer = LeaveMailOnServer ?? basis.LeaveMailOnServer,
            DeleteAfterDays = DeleteAfterDays ?? basis.DeleteAfterDays,
            MirrorMailbox = MirrorMailbox ?? basis.MirrorMailbox,
            MirrorMaxShare = MirrorMaxShare ?? basis.MirrorMaxShare,
            LocalAreaNetwork = LocalAreaNetwork ?? basis.LocalAreaNetwork,
            DownloadSmallestFirst = DownloadSmallestFirst ?? basis.DownloadSmallestFirst,
            CheckEvery = CheckEvery ?? basis.CheckEvery,
            Mailbox = Mailbox ?? basis.Mailbox,
            Priority = Priority ?? basis.Priority,
            Enabled = Enabled ?? basis.Enabled,
            ConnectTimeout = ConnectTimeout ?? basis.ConnectTimeout,
            CommandTimeout = CommandTimeout ?? basis.CommandTimeout,
            MaxMessageSize = MaxMessageSize ?? basis.MaxMessageSize,
            CommitEveryMessages = CommitEveryMessages ?? basis.CommitEveryMessages,
            CommitEveryBytes = CommitEveryBytes ?? basis.CommitEveryBytes,
            Oversize = Oversize ?? basis.Oversize,
        };
    }
}
