namespace CollectorCluster.Actors.Accounts;

/// <summary>The account's answer to <see cref="RecordEvents"/>: the events are in the journal.</summary>
internal sealed class Recorded
{
    public static readonly Recorded Instance = new();

    private Recorded()
    {
    }
}
