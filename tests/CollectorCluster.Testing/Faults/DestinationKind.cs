namespace CollectorCluster.Testing.Faults;

/// <summary>Where a fault scenario delivers.</summary>
public enum DestinationKind
{
    /// <summary>A Maildir the collector writes (names from account + UIDL).</summary>
    Maildir,

    /// <summary>LMTP: Dovecot's LMTP service into another user's mailbox (a scripted LMTP server for a full destination).</summary>
    Lmtp,
}
