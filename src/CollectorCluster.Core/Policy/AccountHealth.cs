namespace CollectorCluster.Core.Policy;

/// <summary>How an account stands with its server, as an operator sees it in <c>collector show</c>.</summary>
public enum AccountHealth
{
    /// <summary>The last session succeeded; collections follow the schedule (and LOGIN-DELAY).</summary>
    Healthy,

    /// <summary>The server said "later" (IN-USE, LOGIN-DELAY): a short retry, still backing off if it repeats.</summary>
    RetryingTransient,

    /// <summary>The server or the network failed (SYS/TEMP, connection, timeout...): exponential back-off.</summary>
    BackingOff,

    /// <summary>Retrying cannot help (AUTH, SYS/PERM, certificate, TLS, OAuth2 grant refused): nothing runs until an operator resumes or the configuration changes.</summary>
    NeedsOperator,
}
