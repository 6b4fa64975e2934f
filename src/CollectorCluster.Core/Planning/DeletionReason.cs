namespace CollectorCluster.Core.Planning;

/// <summary>Why the plan deletes a message on the server.</summary>
public enum DeletionReason
{
    /// <summary>Leave-on-server is off: collected messages are removed.</summary>
    NotLeftOnServer,

    /// <summary>Delete-after-N-days expired.</summary>
    Expired,

    /// <summary>Mirror mailbox: the local copy was deleted.</summary>
    MirroredLocalDeletion,

    /// <summary>An operator marked it for deletion.</summary>
    OperatorMark,
}
