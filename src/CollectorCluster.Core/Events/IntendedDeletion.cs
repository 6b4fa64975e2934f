namespace CollectorCluster.Core.Events;

/// <summary>One message of a <see cref="DeletionsIntended"/>.</summary>
/// <param name="Uidl">The message.</param>
/// <param name="Reason">The <see cref="Planning.DeletionReason"/> name.</param>
public sealed record IntendedDeletion(string Uidl, string Reason);
