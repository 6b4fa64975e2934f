namespace CollectorCluster.Core.Accounts;

/// <summary>How a node's accounts file compares with the versions the cluster has applied.</summary>
public enum FileFreshness
{
    /// <summary>The cluster has applied no file yet (a new cluster, or one from before the registry kept versions).</summary>
    First,

    /// <summary>The version the cluster applied last.</summary>
    Current,

    /// <summary>A version the cluster has not seen: newer, or edited on this node.</summary>
    Unseen,

    /// <summary>A version the cluster applied before the current one: this node's copy is outdated.</summary>
    Outdated,
}
