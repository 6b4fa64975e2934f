namespace CollectorCluster.Core.Events;

/// <summary>
/// Where a collection session is, so a failure says which step it hit. Its text (<see cref="CollectionStageText"/>)
/// is what <see cref="CollectionFailed.Stage"/> journals and operators read; the text of a stage never changes.
/// </summary>
public enum CollectionStage
{
    /// <summary>"connect": TCP, TLS, greeting and login (a reconnect for commit-every too).</summary>
    Connect,

    /// <summary>"wait for online": a WAN account waiting for the node to go online.</summary>
    WaitForOnline,

    /// <summary>"list": UIDL and LIST.</summary>
    List,

    /// <summary>"top": TOP n 0 to confirm a UIDL migration by header fingerprint.</summary>
    Top,

    /// <summary>"mirror": comparing or removing local copies for Mirror Mailbox.</summary>
    Mirror,

    /// <summary>"retrieve": RETR.</summary>
    Retrieve,

    /// <summary>"deliver": handing a message to its destination.</summary>
    Deliver,

    /// <summary>"record": writing to the account's journal.</summary>
    Record,

    /// <summary>"delete": DELE.</summary>
    Delete,

    /// <summary>"quit": QUIT, the commit point of deletions.</summary>
    Quit,

    /// <summary>"internal": the session ended without an outcome (a fault of the run itself).</summary>
    Internal,
}
