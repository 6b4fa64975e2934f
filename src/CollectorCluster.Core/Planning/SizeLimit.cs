namespace CollectorCluster.Core.Planning;

/// <summary>An account's message size limit.</summary>
/// <param name="MaxBytes">Messages whose listed size exceeds this are oversize; 0 or less means no limit.</param>
/// <param name="Handling">Skip or postpone oversize messages.</param>
public sealed record SizeLimit(long MaxBytes, OversizeHandling Handling)
{
    /// <summary>No limit.</summary>
    public static readonly SizeLimit None = new(0, OversizeHandling.Skip);
}
