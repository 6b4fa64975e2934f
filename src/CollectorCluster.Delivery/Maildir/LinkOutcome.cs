namespace CollectorCluster.Delivery.Maildir;

/// <summary>What <see cref="HardLink.TryCreate"/> did, so the caller can tell "already delivered" from "fall back".</summary>
public enum LinkOutcome
{
    /// <summary>The new name now refers to the file.</summary>
    Linked,

    /// <summary>The new name already existed; nothing changed.</summary>
    Exists,

    /// <summary>Hard links are unavailable here (OS or filesystem); use a rename instead.</summary>
    Unsupported,
}
