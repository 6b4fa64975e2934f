namespace CollectorCluster.Core.Routing;

/// <summary>What became of one routed copy of a message.</summary>
public enum CopyOutcome
{
    /// <summary>Delivered to the user's destination now.</summary>
    Delivered,

    /// <summary>The same source had delivered it already (a session repeated after a crash): not delivered again.</summary>
    AlreadyDelivered,

    /// <summary>The user already had the same message from another source within the duplicate window: suppressed.</summary>
    Duplicate,
}
