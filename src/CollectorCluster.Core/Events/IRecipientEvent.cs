namespace CollectorCluster.Core.Events;

/// <summary>Marker for events a local recipient's duplicate memory persists (bound to the journal's own serializer).</summary>
public interface IRecipientEvent
{
}
