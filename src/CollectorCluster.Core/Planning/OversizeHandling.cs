namespace CollectorCluster.Core.Planning;

/// <summary>What a session does with a message larger than the account's <c>max-message-size</c>.</summary>
public enum OversizeHandling
{
    /// <summary>Not fetched (nor deleted); reported every session until an operator marks it for download.</summary>
    Skip,

    /// <summary>Fetched after every message within the limit, so one big message cannot hold up the rest.</summary>
    Postpone,
}
