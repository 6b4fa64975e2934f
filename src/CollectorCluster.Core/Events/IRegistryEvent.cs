namespace CollectorCluster.Core.Events;

/// <summary>An event of the account registry (the accounts added and removed at run time), journaled with the account events' serializer.</summary>
public interface IRegistryEvent
{
}
