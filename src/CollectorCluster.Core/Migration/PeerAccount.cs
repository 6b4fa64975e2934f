using CollectorCluster.Core.Accounts;
using CollectorCluster.Core.Routing;

namespace CollectorCluster.Core.Migration;

/// <summary>
/// One mailbox of a peer's configuration in our terms: what carries over as account keys, the password's source, the
/// peer's UIDL state for it, and the notes on everything that did not carry over.
/// </summary>
public sealed record PeerAccount
{
    /// <summary>A suggested account id (checked and made unique by the writer).</summary>
    public required string Name { get; init; }

    /// <summary>Where it was defined: file and line.</summary>
    public required string Origin { get; init; }

    /// <summary><c>pop3-server</c>.</summary>
    public required string Server { get; init; }

    /// <summary><c>port</c>; null for the default of the TLS mode.</summary>
    public int? Port { get; init; }

    /// <summary><c>pop3-account</c>.</summary>
    public required string User { get; init; }

    /// <summary>Where the password comes from.</summary>
    public PeerPassword Password { get; init; } = PeerPassword.None;

    /// <summary><c>ssl</c>.</summary>
    public TlsMode Ssl { get; init; } = TlsMode.None;

    /// <summary><c>verify-certificate</c>.</summary>
    public bool VerifyCertificate { get; init; } = true;

    /// <summary><c>certificate-sha256</c>.</summary>
    public string? CertificateSha256 { get; init; }

    /// <summary><c>auth</c>; null for the default.</summary>
    public AuthMethod? Auth { get; init; }

    /// <summary><c>leave-mail-on-server</c>.</summary>
    public bool LeaveMailOnServer { get; init; }

    /// <summary><c>delete-after-days</c>.</summary>
    public int? DeleteAfterDays { get; init; }

    /// <summary><c>max-message-size</c>, bytes.</summary>
    public long? MaxMessageSize { get; init; }

    /// <summary><c>check-every</c>.</summary>
    public TimeSpan? CheckEvery { get; init; }

    /// <summary><c>command-timeout</c>.</summary>
    public TimeSpan? CommandTimeout { get; init; }

    /// <summary><c>enabled</c> (fetchmail's <c>skip</c> entries are imported disabled).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>mailbox</c> for an ordinary account; null for a multidrop one, or when the peer's delivery could not be carried over.</summary>
    public string? Mailbox { get; init; }

    /// <summary><c>multidrop</c> for a domain mailbox; its local domains may be empty when the peer's file has none (a note says so).</summary>
    public MultidropSettings? Multidrop { get; init; }

    /// <summary>Where the peer keeps the UIDLs it saw for this mailbox; null when it keeps none.</summary>
    public PeerUidlState? UidlState { get; init; }

    /// <summary>What did not carry over, for this account.</summary>
    public IReadOnlyList<ImportNote> Notes { get; init; } = [];
}
