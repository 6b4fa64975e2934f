namespace CollectorCluster.Core.Events;

/// <summary>
/// The account was removed (from the accounts file, or <c>collector remove</c>): it collects no more, wherever it is
/// hosted, and after a restart it is not configured. Its collection history stays. Manifest <c>AccountSettingsRemoved.v1</c>.
/// </summary>
/// <param name="At">When it was removed.</param>
public sealed record AccountSettingsRemoved(DateTimeOffset At) : IAccountEvent;
