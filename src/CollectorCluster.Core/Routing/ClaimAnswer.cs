namespace CollectorCluster.Core.Routing;

/// <summary>A recipient's answer when a collection session wants to deliver a copy.</summary>
public enum ClaimAnswer
{
    /// <summary>Deliver it: nobody delivered this message to the recipient within the window (the claim is now the session's).</summary>
    Granted,

    /// <summary>This very source (account and UIDL) already delivered it: a session repeated after a crash; nothing to do.</summary>
    AlreadyDelivered,

    /// <summary>Another source already delivered the same message to the recipient within the window: suppress this copy.</summary>
    Duplicate,

    /// <summary>Another source holds a claim on it right now: ask again when that claim is confirmed, released or stale.</summary>
    Wait,
}
