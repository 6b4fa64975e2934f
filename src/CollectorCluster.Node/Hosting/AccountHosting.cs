namespace CollectorCluster.Node.Hosting;

/// <summary>Where account actors live.</summary>
public enum AccountHosting
{
    /// <summary>Cluster sharding (the daemon; one node or many).</summary>
    Sharded,

    /// <summary>In this process only (one-shot runs).</summary>
    Local,
}
