namespace CollectorCluster.Core.Accounts;

/// <summary>Where an account is defined: in the accounts file (changed there, applied by a reload) or at run time (<c>collector add</c>).</summary>
public enum AccountOrigin
{
    /// <summary>The node file's <c>collector.accounts</c>.</summary>
    File,

    /// <summary>Added with <c>collector add</c> while the cluster runs.</summary>
    Runtime,
}
