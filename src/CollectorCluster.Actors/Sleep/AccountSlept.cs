namespace CollectorCluster.Actors.Sleep;

/// <summary>The alarm's journal: an account sleeps until <paramref name="WakeAt"/>, for its slot at <paramref name="Due"/>.</summary>
public sealed record AccountSlept(string AccountId, DateTimeOffset WakeAt, DateTimeOffset Due);
