namespace CollectorCluster.Testing.Faults;

/// <summary>The account setting a fault scenario collects with.</summary>
public enum CollectionMode
{
    /// <summary><c>leave-mail-on-server = on</c>: nothing is ever deleted on the server.</summary>
    Leave,

    /// <summary><c>leave-mail-on-server = off</c>: collected mail is deleted on the server.</summary>
    Delete,

    /// <summary><c>mirror-mailbox = on</c> (with leave on): deletions both ways, guarded.</summary>
    Mirror,
}
