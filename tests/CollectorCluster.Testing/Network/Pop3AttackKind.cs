namespace CollectorCluster.Testing.Network;

/// <summary>What a <see cref="HostilePop3Server"/> does wrong (see <see cref="Pop3Attack"/> for the figures).</summary>
public enum Pop3AttackKind
{
    /// <summary>Nothing: an honest server, for comparison.</summary>
    None,

    /// <summary>UIDL answers with Amount lines (generated as they are sent).</summary>
    EndlessUidlListing,

    /// <summary>The last message's UIDL is Amount bytes long.</summary>
    LongUidl,

    /// <summary>RETR of the last message sends Amount bytes more than LIST said.</summary>
    BodyBeyondListedSize,

    /// <summary>UIDL answers +OK, then one byte per Interval, forever.</summary>
    TrickleUidl,

    /// <summary>RETR of the last message sends Amount bytes per Interval (the honest body, then more, forever).</summary>
    TrickleRetr,
}
