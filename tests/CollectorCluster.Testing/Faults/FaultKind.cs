namespace CollectorCluster.Testing.Faults;

/// <summary>One kind of fault the campaign injects; <see cref="FaultKinds"/> names them and says where each applies.</summary>
public enum FaultKind
{
    /// <summary>The link is cut right after the server's greeting.</summary>
    AfterGreeting,

    /// <summary>The link is cut inside a CAPA reply (before or after login).</summary>
    MidCapa,

    /// <summary>The link is cut inside the UIDL listing.</summary>
    MidUidl,

    /// <summary>The link is cut inside the LIST listing.</summary>
    MidList,

    /// <summary>The link is cut at a random byte offset inside a RETR reply.</summary>
    MidRetr,

    /// <summary>The link is cut right after a DELE's +OK (the server then rolls the deletions back).</summary>
    AfterDele,

    /// <summary>QUIT reaches the server (which commits) but its +OK never reaches the collector.</summary>
    QuitUnanswered,

    /// <summary><c>kill -9</c> of <c>collector run</c> at a random moment of a session.</summary>
    KillRun,

    /// <summary>SIGTERM to <c>collector once</c> at a random moment of a session.</summary>
    TermOnce,

    /// <summary>The journal's file system (SQLite on a loop-mounted ext4) turns read-only mid-session.</summary>
    JournalReadOnly,

    /// <summary>The PostgreSQL journal's server is stopped mid-session.</summary>
    PostgresStopped,

    /// <summary>The destination is full: a small tmpfs Maildir, or LMTP answering 452.</summary>
    DestinationFull,

    /// <summary>The link is cut inside a RETR reply, then the server renumbers the mailbox (new UIDLs) before the next session.</summary>
    UidlChange,
}
