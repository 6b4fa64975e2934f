namespace CollectorCluster.Core.Planning;

/// <summary>A listed message over the size limit, and what the plan did with it.</summary>
/// <param name="Message">The listing line (UIDL, number, size).</param>
/// <param name="Handling">Skipped or postponed.</param>
public sealed record OversizeMessage(ListedMessage Message, OversizeHandling Handling);
