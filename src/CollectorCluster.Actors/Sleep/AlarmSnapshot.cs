namespace CollectorCluster.Actors.Sleep;

/// <summary>The persisted form of an alarm's table: every account still sleeping, with its wake time and slot.</summary>
public sealed record AlarmSnapshot(IReadOnlyList<AccountSlept> Sleeping);
