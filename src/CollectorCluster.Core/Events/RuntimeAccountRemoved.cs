namespace CollectorCluster.Core.Events;

/// <summary>An operator removed an account added at run time.</summary>
/// <param name="Id">The account id.</param>
/// <param name="At">When it was removed.</param>
public sealed record RuntimeAccountRemoved(string Id, DateTimeOffset At) : IRegistryEvent;
